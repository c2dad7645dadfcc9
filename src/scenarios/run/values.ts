/**
 * The little language inside scenario steps: `{{variables}}`, JSONPath into an answer, and
 * matchers. A failed expectation says what kind of failure it was and which field, so that the
 * builders' feedback can name it without quoting the scenario.
 */
import { isDeepStrictEqual } from "node:util";
import type { FailureKind } from "../report.js";

export type Variables = Record<string, unknown>;

/** A step that cannot run as written (a variable never set): the scenario's fault, not the product's. */
export class ScenarioStepError extends Error {}

/** An expectation the product did not meet. */
export class ExpectationFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly field?: string,
    /** What was seen when it failed, for the evidence. */
    readonly observation?: unknown,
  ) {
    super(message);
  }
}

const WHOLE = /^\{\{\s*([^}\s]+)\s*\}\}$/;
const VARIABLE = /\{\{\s*([^}\s]+)\s*\}\}/g;

/**
 * Fills `{{name}}` in every string of `value`. A string that is one variable becomes the
 * variable's own value, so `amount: "{{amount}}"` stays a number in a JSON body.
 */
export function render(value: unknown, vars: Variables): unknown {
  if (typeof value === "string") {
    const whole = value.match(WHOLE);
    if (whole) return lookup(whole[1] as string, vars);
    return value.replace(VARIABLE, (_, name: string) => String(lookup(name, vars)));
  }
  if (Array.isArray(value)) return value.map((inner) => render(inner, vars));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, vars)]));
  return value;
}

export function renderText(value: string, vars: Variables): string {
  return String(render(value, vars));
}

function lookup(name: string, vars: Variables): unknown {
  if (!(name in vars)) throw new ScenarioStepError(`{{${name}}} has no value here`);
  return vars[name];
}

/** `$`, `$.a.b`, `$.items[0].id`, `$['odd key']`: the value there, if any. */
export function queryJsonPath(
  document: unknown,
  path: string,
): { found: boolean; value?: unknown } {
  if (!path.startsWith("$"))
    throw new ScenarioStepError(`${path} is not a JSONPath (start with $)`);
  const segments: (string | number)[] = [];
  const pattern = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const at = pattern.lastIndex;
    const match = pattern.exec(path);
    if (!match || match.index !== at)
      throw new ScenarioStepError(`${path} is not a JSONPath this runner reads (at ${at})`);
    segments.push(
      match[2] !== undefined ? Number(match[2]) : ((match[1] ?? match[3] ?? match[4]) as string),
    );
  }
  let current: unknown = document;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return { found: false };
    if (!Object.hasOwn(current, segment)) return { found: false };
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { found: true, value: current };
}

const MATCHERS = new Set(["equals", "matches", "exists", "gte", "lte", "contains"]);

/** A one-key object naming a matcher: `{ matches: "^re_" }`. */
export function isMatcher(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && MATCHERS.has(keys[0] as string);
}

/**
 * Whether `actual` meets `expected`: a matcher, or a plain value that `actual` holds (objects
 * by subset, arrays element by element, anything else by equality). Variables in `expected`
 * must already be rendered.
 */
export function meets(actual: unknown, expected: unknown): boolean {
  if (isMatcher(expected)) return meetsMatcher(actual, expected);
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      expected.length <= actual.length &&
      expected.every((item, index) => meets(actual[index], item))
    );
  if (expected && typeof expected === "object") {
    if (!actual || typeof actual !== "object" || Array.isArray(actual)) return false;
    return Object.entries(expected).every(
      ([key, inner]) => Object.hasOwn(actual, key) && meets((actual as Variables)[key], inner),
    );
  }
  return isDeepStrictEqual(actual, expected);
}

function meetsMatcher(actual: unknown, matcher: Record<string, unknown>): boolean {
  const [name, operand] = Object.entries(matcher)[0] as [string, unknown];
  switch (name) {
    case "equals":
      return isDeepStrictEqual(actual, operand);
    case "matches":
      return actual !== undefined && new RegExp(String(operand)).test(textOf(actual));
    case "exists":
      return (actual !== undefined) === operand;
    case "gte":
      return typeof actual === "number" && actual >= (operand as number);
    case "lte":
      return typeof actual === "number" && actual <= (operand as number);
    default:
      return contains(actual, operand);
  }
}

/**
 * `contains`: a string holds the text; a list, or the values of a map (a twin's `refunds` by
 * id), holds an item that meets it. Lists inside a map (Slack's messages per channel) are
 * searched too.
 */
function contains(actual: unknown, operand: unknown): boolean {
  if (typeof actual === "string") return typeof operand === "string" && actual.includes(operand);
  const items = collectionOf(actual);
  return items.some((item) => meets(item, operand));
}

function collectionOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object")
    return Object.values(value).flatMap((inner) => (Array.isArray(inner) ? inner : [inner]));
  return [];
}

function textOf(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** What a value looks like in a report: short, for people reading the factory's own evidence. */
export function preview(value: unknown, max = 200): string {
  const text = value === undefined ? "nothing" : textOf(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

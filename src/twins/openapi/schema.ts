/**
 * JSON Schema as OpenAPI 3.0 and 3.1 use it: `$ref`s resolved on demand (never the whole
 * document at once), a validator that names the field at fault, and a seeded generator of
 * values that conform. Cycles are safe: a chain of `$ref`s that never reaches a value stops.
 */
import type { SeededRandom, TwinClock } from "../runtime/contract.js";

export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  properties?: Record<string, SchemaObject>;
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  readOnly?: boolean;
  writeOnly?: boolean;
  example?: unknown;
}

/** Follows `#/...` pointers into one document, remembering what it found. */
export class Resolver {
  private readonly found = new Map<string, unknown>();
  constructor(readonly document: unknown) {}

  pointer(ref: string): unknown {
    const hit = this.found.get(ref);
    if (hit !== undefined || this.found.has(ref)) return hit;
    let current: unknown;
    if (ref.startsWith("#")) {
      current = this.document;
      for (const raw of ref.slice(1).split("/").slice(1)) {
        const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
        if (current === null || typeof current !== "object") {
          current = undefined;
          break;
        }
        current = (current as Record<string, unknown>)[key];
      }
    }
    this.found.set(ref, current);
    return current;
  }

  /** The object behind a chain of `$ref`s; an unresolvable one (another file, say) is `{}`. */
  deref<T>(value: T): T {
    let current: unknown = value;
    for (let hops = 0; hops < 32; hops++) {
      const ref = (current as { $ref?: unknown } | null | undefined)?.$ref;
      if (typeof ref !== "string") return current as T;
      current = this.pointer(ref);
      if (current === undefined) return {} as T;
    }
    return {} as T;
  }
}

export interface Issue {
  field: string;
  message: string;
}

/** `request`: readOnly properties are not required; `response`: writeOnly ones are not. */
export type Direction = "request" | "response";

const MAX_HOPS = 24;
const patterns = new Map<string, RegExp | null>();

function regex(pattern: string): RegExp | null {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(pattern, "u");
    } catch {
      compiled = null;
    }
    patterns.set(pattern, compiled);
  }
  return compiled;
}

export function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    default:
      return true;
  }
}

function typesOf(schema: SchemaObject): string[] | undefined {
  if (schema.type === undefined) return undefined;
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** Whether null is a value the schema allows (3.0 `nullable`, 3.1 `type: [.., "null"]`, enums). */
export function allowsNull(resolver: Resolver, raw: SchemaObject, hops = 0): boolean {
  if (hops > MAX_HOPS) return true;
  const schema = resolver.deref(raw);
  if (typeof schema !== "object" || schema === null) return schema !== false;
  if (schema.nullable === true) return true;
  const types = typesOf(schema);
  if (types?.includes("null")) return true;
  if (schema.enum) return schema.enum.includes(null);
  if ("const" in schema) return schema.const === null;
  const branches = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  if (branches.length > 0) return branches.some((b) => allowsNull(resolver, b, hops + 1));
  if (schema.allOf && schema.allOf.length > 0)
    return schema.allOf.every((b) => allowsNull(resolver, b, hops + 1));
  // A schema that says nothing about the value allows anything.
  return types === undefined && !schema.properties && !schema.items && !schema.required;
}

const FORMATS: Record<string, RegExp> = {
  "date-time": /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:?\d\d)?$/,
  date: /^\d{4}-\d\d-\d\d$/,
  email: /^[^@\s]+@[^@\s]+$/,
  uuid: /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
};

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** The problems of `value` against `schema`, each naming its field (`body.items[2].sku`). */
export function validate(
  resolver: Resolver,
  schema: SchemaObject | boolean,
  value: unknown,
  field: string,
  direction: Direction = "request",
): Issue[] {
  const issues: Issue[] = [];
  check(resolver, schema, value, field, direction, 0, issues);
  return issues;
}

function check(
  resolver: Resolver,
  raw: SchemaObject | boolean,
  value: unknown,
  field: string,
  direction: Direction,
  hops: number,
  issues: Issue[],
): void {
  // A cycle of refs or allOfs that never reaches into the value: nothing more to say.
  if (hops > MAX_HOPS) return;
  if (raw === true || raw === undefined) return;
  if (raw === false) {
    issues.push({ field, message: "no value is allowed here" });
    return;
  }
  const schema = resolver.deref(raw);
  if (typeof schema !== "object" || schema === null) return;
  const types = typesOf(schema);
  if (value === null) {
    if (!allowsNull(resolver, schema, hops))
      issues.push({ field, message: `expected ${types?.join(" or ") ?? "a value"}, got null` });
    return;
  }
  for (const branch of schema.allOf ?? [])
    check(resolver, branch, value, field, direction, hops + 1, issues);
  const alternatives = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  if (alternatives.length > 0) {
    let best: Issue[] | undefined;
    for (const branch of alternatives) {
      const found: Issue[] = [];
      check(resolver, branch, value, field, direction, hops + 1, found);
      if (found.length === 0) {
        best = undefined;
        break;
      }
      if (!best || found.length < best.length) best = found;
    }
    if (best) {
      issues.push(...best);
      return;
    }
  }
  if (types && !types.some((type) => typeMatches(type, value))) {
    issues.push({
      field,
      message: `expected ${types.filter((t) => t !== "null").join(" or ")}, got ${typeOf(value)}`,
    });
    return;
  }
  if (schema.enum && !schema.enum.some((allowed) => sameValue(allowed, value))) {
    issues.push({
      field,
      message: `expected one of ${schema.enum.map(show).join(", ")}, got ${show(value)}`,
    });
    return;
  }
  if ("const" in schema && !sameValue(schema.const, value)) {
    issues.push({ field, message: `expected ${show(schema.const)}, got ${show(value)}` });
    return;
  }
  if (typeof value === "string") checkString(schema, value, field, issues);
  else if (typeof value === "number") checkNumber(schema, value, field, issues);
  else if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      issues.push({ field, message: `expected at least ${schema.minItems} items` });
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      issues.push({ field, message: `expected at most ${schema.maxItems} items` });
    if (schema.items)
      for (const [index, item] of value.entries())
        check(resolver, schema.items, item, `${field}[${index}]`, direction, 0, issues);
  } else if (typeof value === "object")
    checkObject(resolver, schema, value as Record<string, unknown>, field, direction, issues);
}

function checkString(schema: SchemaObject, value: string, field: string, issues: Issue[]) {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength)
    issues.push({ field, message: `expected at least ${schema.minLength} characters` });
  if (schema.maxLength !== undefined && length > schema.maxLength)
    issues.push({ field, message: `expected at most ${schema.maxLength} characters` });
  if (schema.pattern !== undefined && regex(schema.pattern)?.test(value) === false)
    issues.push({ field, message: `expected to match ${schema.pattern}, got ${show(value)}` });
  const format = schema.format === undefined ? undefined : FORMATS[schema.format];
  if (format && !format.test(value))
    issues.push({ field, message: `expected a ${schema.format}, got ${show(value)}` });
}

function checkNumber(schema: SchemaObject, value: number, field: string, issues: Issue[]) {
  if (schema.minimum !== undefined) {
    const exclusive = schema.exclusiveMinimum === true;
    if (exclusive ? value <= schema.minimum : value < schema.minimum)
      issues.push({
        field,
        message: `must be ${exclusive ? ">" : ">="} ${schema.minimum}, got ${value}`,
      });
  }
  if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum)
    issues.push({ field, message: `must be > ${schema.exclusiveMinimum}, got ${value}` });
  if (schema.maximum !== undefined) {
    const exclusive = schema.exclusiveMaximum === true;
    if (exclusive ? value >= schema.maximum : value > schema.maximum)
      issues.push({
        field,
        message: `must be ${exclusive ? "<" : "<="} ${schema.maximum}, got ${value}`,
      });
  }
  if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum)
    issues.push({ field, message: `must be < ${schema.exclusiveMaximum}, got ${value}` });
  if (
    schema.multipleOf &&
    Math.abs(value / schema.multipleOf - Math.round(value / schema.multipleOf)) > 1e-9
  )
    issues.push({ field, message: `must be a multiple of ${schema.multipleOf}, got ${value}` });
}

function checkObject(
  resolver: Resolver,
  schema: SchemaObject,
  value: Record<string, unknown>,
  field: string,
  direction: Direction,
  issues: Issue[],
) {
  const properties = schema.properties ?? {};
  for (const name of schema.required ?? []) {
    if (value[name] !== undefined) continue;
    const property = properties[name] ? resolver.deref(properties[name]) : undefined;
    if (direction === "request" && property?.readOnly) continue;
    if (direction === "response" && property?.writeOnly) continue;
    issues.push({ field: `${field}.${name}`, message: "required" });
  }
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const property = properties[name];
    if (property !== undefined)
      check(resolver, property, item, `${field}.${name}`, direction, 0, issues);
    else if (schema.additionalProperties === false)
      issues.push({ field: `${field}.${name}`, message: "unexpected property" });
    else if (typeof schema.additionalProperties === "object")
      check(resolver, schema.additionalProperties, item, `${field}.${name}`, direction, 0, issues);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface GenerateContext {
  random: SeededRandom;
  clock: TwinClock;
}

/** Optional properties are filled (half of them) only this near the top. */
const OPTIONAL_DEPTH = 2;
/** Beyond this, only what is required; beyond MAX_DEPTH, the emptiest value of the type. */
const REQUIRED_ONLY_DEPTH = 6;
const MAX_DEPTH = 14;

/** A value that conforms to `schema`, the same for the same random state. */
export function generate(
  resolver: Resolver,
  raw: SchemaObject | boolean | undefined,
  context: GenerateContext,
  direction: Direction = "response",
  depth = 0,
  hops = 0,
): unknown {
  if (raw === undefined || typeof raw === "boolean" || hops > MAX_HOPS) return {};
  const schema = resolver.deref(raw);
  if (typeof schema !== "object" || schema === null) return {};
  const { random } = context;
  if ("const" in schema) return schema.const;
  if (schema.enum && schema.enum.length > 0) {
    const choices = schema.enum.filter((v) => v !== null);
    const from = choices.length > 0 ? choices : schema.enum;
    return from[random.int(0, from.length - 1)];
  }
  const pieces: unknown[] = [];
  for (const branch of schema.allOf ?? [])
    pieces.push(generate(resolver, branch, context, direction, depth, hops + 1));
  const alternatives = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].filter(
    (b) => typesOf(resolver.deref(b))?.join() !== "null",
  );
  if (alternatives.length > 0) {
    const branch = alternatives[random.int(0, alternatives.length - 1)];
    pieces.push(generate(resolver, branch, context, direction, depth, hops + 1));
  }
  const type = typeToGenerate(schema);
  if (type !== undefined || pieces.length === 0) {
    const own = generateTyped(resolver, schema, type ?? "string", context, direction, depth);
    if (pieces.length === 0) return own;
    pieces.push(own);
  }
  // allOf (and an object's own properties beside it): the objects merged, else the last word.
  if (pieces.every((p) => typeof p === "object" && p !== null && !Array.isArray(p)))
    return Object.assign({}, ...pieces);
  return pieces.at(-1);
}

function typeToGenerate(schema: SchemaObject): string | undefined {
  const types = typesOf(schema)?.filter((t) => t !== "null");
  if (types && types.length > 0) return types[0];
  if (schema.properties || schema.additionalProperties !== undefined || schema.required)
    return "object";
  if (schema.items) return "array";
  if (schema.format || schema.pattern || schema.minLength !== undefined) return "string";
  if (schema.minimum !== undefined || schema.maximum !== undefined) return "number";
  return undefined;
}

function generateTyped(
  resolver: Resolver,
  schema: SchemaObject,
  type: string,
  context: GenerateContext,
  direction: Direction,
  depth: number,
): unknown {
  const { random } = context;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      if (depth > MAX_DEPTH) return out;
      const required = new Set(schema.required ?? []);
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const resolved = resolver.deref(property);
        if (direction === "response" && resolved?.writeOnly) continue;
        if (direction === "request" && resolved?.readOnly) continue;
        const take = required.has(name) || (depth < OPTIONAL_DEPTH && random.next() < 0.5);
        if (!take || (depth >= REQUIRED_ONLY_DEPTH && !required.has(name))) continue;
        out[name] = generate(resolver, property, context, direction, depth + 1);
      }
      for (const name of required) if (!(name in out)) out[name] = random.id("", 8);
      return out;
    }
    case "array": {
      if (depth > REQUIRED_ONLY_DEPTH && (schema.minItems ?? 0) === 0) return [];
      const min = schema.minItems ?? 1;
      const max = Math.max(min, schema.maxItems ?? 3);
      const count = Math.min(max, Math.max(min, random.int(1, 3)));
      return Array.from({ length: count }, () =>
        generate(resolver, schema.items, context, direction, depth + 1),
      );
    }
    case "integer":
    case "number":
      return generateNumber(schema, type === "integer", random);
    case "boolean":
      return random.next() < 0.5;
    case "null":
      return null;
    default:
      return generateString(schema, context);
  }
}

function generateNumber(schema: SchemaObject, integer: boolean, random: SeededRandom): number {
  let low =
    schema.minimum ??
    (typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum : undefined);
  let high =
    schema.maximum ??
    (typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum : undefined);
  const lowOpen =
    schema.exclusiveMinimum === true ||
    (schema.minimum === undefined && typeof schema.exclusiveMinimum === "number");
  const highOpen =
    schema.exclusiveMaximum === true ||
    (schema.maximum === undefined && typeof schema.exclusiveMaximum === "number");
  if (low === undefined && high === undefined) [low, high] = [1, 1000];
  else if (low === undefined) low = (high as number) - 1000;
  else if (high === undefined) high = low + 1000;
  let lo = low as number;
  let hi = high as number;
  if (integer) {
    lo = lowOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
    hi = highOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
    if (hi < lo) hi = lo;
    const value = random.int(lo, hi);
    return schema.multipleOf
      ? Math.max(lo, Math.floor(value / schema.multipleOf) * schema.multipleOf)
      : value;
  }
  const value = Math.round((lo + random.next() * (hi - lo)) * 100) / 100;
  if ((lowOpen && value <= lo) || (highOpen && value >= hi)) return (lo + hi) / 2;
  return Math.min(hi, Math.max(lo, value));
}

const WORDS = [
  "alpha",
  "bravo",
  "cedar",
  "delta",
  "ember",
  "falcon",
  "garnet",
  "harbor",
  "indigo",
  "juniper",
];

function generateString(schema: SchemaObject, { random, clock }: GenerateContext): string {
  let value: string;
  switch (schema.format) {
    case "uuid": {
      const hex = random.hex(16);
      value = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
      break;
    }
    case "date-time":
      value = new Date(clock.now()).toISOString();
      break;
    case "date":
      value = new Date(clock.now()).toISOString().slice(0, 10);
      break;
    case "time":
      value = new Date(clock.now()).toISOString().slice(11, 19);
      break;
    case "email":
      value = `${WORDS[random.int(0, WORDS.length - 1)]}${random.int(1, 999)}@example.com`;
      break;
    case "uri":
    case "url":
    case "uri-reference":
      value = `https://example.com/${random.id("", 8).toLowerCase()}`;
      break;
    case "hostname":
      value = `${random.id("", 6).toLowerCase()}.example.com`;
      break;
    case "ipv4":
      value = `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
      break;
    case "ipv6":
      value = `fd00::${random.hex(2)}`;
      break;
    case "byte":
      value = Buffer.from(random.hex(6), "hex").toString("base64");
      break;
    default:
      // A pattern we cannot generate from: the schema's own example, when it has one.
      if (schema.pattern && typeof schema.example === "string") return schema.example;
      value = `${WORDS[random.int(0, WORDS.length - 1)]}-${random.id("", 6).toLowerCase()}`;
  }
  if (schema.minLength !== undefined && value.length < schema.minLength)
    value = value.padEnd(schema.minLength, "x");
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    value = value.slice(0, schema.maxLength);
  return value;
}

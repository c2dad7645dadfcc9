/**
 * Runs loaded rules over one change's facts. Any fired `deny` denies; else any fired
 * `require_approval` waits for a person; else the change is allowed. A rule that cannot be
 * evaluated denies, so a policy is never silently ignored.
 */
import type { ChangeFacts } from "../facts/change-facts.js";
import { factEnvironment, factTypeOf, toCelFacts } from "./fact-environment.js";
import type { GateDecision, GateVerdict, LoadedRule, RuleResult } from "./policy-schema.js";

const MAX_EVIDENCE = 50;

type Compiled = (context: Record<string, unknown>) => unknown;
const compiled = new Map<string, Compiled>();

function compile(expression: string): Compiled {
  let fn = compiled.get(expression);
  if (!fn) {
    fn = factEnvironment().parse(expression) as Compiled;
    compiled.set(expression, fn);
  }
  return fn;
}

/**
 * The gate's decision over `facts`, with every rule's result in the order the rules were
 * loaded. Throws only when the facts themselves are incomplete (a collector bug).
 */
export function evaluatePolicies(rules: readonly LoadedRule[], facts: ChangeFacts): GateDecision {
  const context = toCelFacts(facts);
  const results = rules.map((rule) => evaluateRule(rule, context));
  return { decision: overall(results), rules: results };
}

function overall(results: readonly RuleResult[]): GateVerdict {
  if (results.some((r) => r.fired && r.decision === "deny")) return "deny";
  if (results.some((r) => r.fired && r.decision === "require_approval")) return "require_approval";
  return "allow";
}

function evaluateRule(rule: LoadedRule, context: Record<string, unknown>): RuleResult {
  const base = { id: rule.id, file: rule.file };
  try {
    const fired = compile(rule.when)(context);
    if (typeof fired !== "boolean") throw new Error(`when gave ${typeof fired}, not true or false`);
    if (!fired) return { ...base, decision: "allow", fired: false, message: "", evidence: [] };
    return {
      ...base,
      decision: rule.decision,
      fired: true,
      message: rule.message,
      evidence: rule.evidence === "" ? [] : evidenceOf(compile(rule.evidence)(context)),
    };
  } catch (error) {
    const summary = (error as { summary?: string }).summary ?? (error as Error).message;
    return {
      ...base,
      decision: "deny",
      fired: true,
      message: `rule "${rule.id}" could not be evaluated, so it denies`,
      evidence: [],
      error: summary,
    };
  }
}

function evidenceOf(value: unknown): string[] {
  if (!Array.isArray(value)) throw new Error("evidence did not give a list");
  const lines = value.map(describe);
  if (lines.length <= MAX_EVIDENCE) return lines;
  const shown = lines.slice(0, MAX_EVIDENCE - 1);
  return [...shown, `… and ${lines.length - shown.length} more`];
}

/** A CEL value in words: strings as they are, fact objects as `field: value` pairs. */
function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(describe).join(", ")}]`;
  const fields = factTypeOf(value);
  const entries: [unknown, unknown][] =
    value instanceof Map
      ? [...value.entries()]
      : fields
        ? Object.keys(fields).map((f) => [f, (value as Record<string, unknown>)[f]])
        : Object.entries(value as object);
  return `{${entries.map(([k, v]) => `${String(k)}: ${describe(v)}`).join(", ")}}`;
}

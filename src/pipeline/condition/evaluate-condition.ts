/** Evaluating parsed conditions against an outcome and the run context (§10.3-10.5). */
import { type Clause, parseCondition } from "./parse-condition.js";

export interface ConditionScope {
  /** The stage's outcome status, e.g. `success`, `fail`. */
  outcome: string;
  preferredLabel: string;
  context: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;
}

/** True when every clause holds; no clauses is true. */
export function evaluateCondition(clauses: readonly Clause[], scope: ConditionScope): boolean {
  return clauses.every((clause) => {
    const actual = resolveKey(clause.key, scope);
    if (clause.op === "truthy") return actual !== "" && actual !== "false";
    return clause.op === "=" ? actual === clause.value : actual !== clause.value;
  });
}

/**
 * Parses and evaluates. A condition that does not parse is false: validation refuses such a
 * pipeline before it runs, so this only guards against graphs that skipped validation.
 */
export function evaluateConditionText(text: string, scope: ConditionScope): boolean {
  const parsed = parseCondition(text);
  return parsed.ok && evaluateCondition(parsed.clauses, scope);
}

/** §10.4: `context.x` tries "context.x" then "x"; other keys are looked up as written. */
export function resolveKey(key: string, scope: ConditionScope): string {
  if (key === "outcome") return scope.outcome;
  if (key === "preferred_label") return scope.preferredLabel;
  const direct = lookup(scope.context, key);
  if (direct !== undefined || !key.startsWith("context.")) return stringify(direct);
  return stringify(lookup(scope.context, key.slice("context.".length)));
}

function lookup(context: ConditionScope["context"], key: string): unknown {
  if (context instanceof Map) return context.get(key) ?? undefined;
  const record = context as Readonly<Record<string, unknown>>;
  return Object.hasOwn(record, key) ? (record[key] ?? undefined) : undefined;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * `attr_type` (ours, error): attributes the engine reads as numbers, booleans, durations or
 * one of a few words must be written that way. DOT has no types, and an engine that reads
 * `max_retries=three` as 0 fails far from the typo.
 */
import { parseDuration } from "../../../common/index.js";
import { issue, type LintRule, type PipelineDiagnostic, valuePos } from "../lint-rule.js";
import { attrOwners, subjectOf } from "./owners.js";

/** A problem with `value` ("is not a whole number"), or undefined when it is fine. */
type Check = (value: string) => string | undefined;

const integer =
  (min?: number): Check =>
  (value) => {
    if (!/^-?\d+$/.test(value.trim())) return "is not a whole number";
    return min !== undefined && Number(value) < min ? `must be at least ${min}` : undefined;
  };
const boolean: Check = (value) =>
  value.trim() === "true" || value.trim() === "false" ? undefined : "is not true or false";
const duration: Check = (value) => {
  const ms = parseDuration(value);
  if (ms === undefined) return "is not a duration";
  return ms <= 0 ? "must be above 0" : undefined;
};
const oneOf =
  (...words: string[]): Check =>
  (value) =>
    words.includes(value.trim()) ? undefined : `is not one of ${words.join(", ")}`;

const BOOLEAN_HINT = "write true or false";
const TYPES: Readonly<Record<string, { check: Check; hint: string }>> = {
  max_retries: { check: integer(0), hint: "give the number of extra attempts, e.g. max_retries=2" },
  default_max_retries: { check: integer(0), hint: "e.g. default_max_retries=1" },
  default_max_retry: { check: integer(0), hint: "e.g. default_max_retries=1" },
  weight: { check: integer(), hint: "give a whole number; higher wins, e.g. weight=10" },
  max_visits: {
    check: integer(1),
    hint: "give how often the node may run per run, e.g. max_visits=3",
  },
  max_parallel: {
    check: integer(1),
    hint: "give how many branches run at once, e.g. max_parallel=4",
  },
  goal_gate: { check: boolean, hint: BOOLEAN_HINT },
  auto_status: { check: boolean, hint: BOOLEAN_HINT },
  allow_partial: { check: boolean, hint: BOOLEAN_HINT },
  loop_restart: { check: boolean, hint: BOOLEAN_HINT },
  timeout: {
    check: duration,
    hint: 'write a number and a unit (ms, s, m, h or d), e.g. timeout="900s"',
  },
  join_policy: {
    check: oneOf("wait_all", "first_success"),
    hint: "write wait_all or first_success",
  },
  reasoning_effort: { check: oneOf("low", "medium", "high"), hint: "write low, medium or high" },
  retry_policy: {
    check: oneOf("none", "standard", "aggressive", "linear", "patient"),
    hint: "write one of §3.6's presets: none, standard, aggressive, linear, patient",
  },
};

export const attrTypeRule: LintRule = {
  name: "attr_type",
  apply(graph) {
    const out: PipelineDiagnostic[] = [];
    // A bad value in a default block or on a chained edge reaches several owners; say it once.
    const seen = new Set<string>();
    for (const subject of attrOwners(graph)) {
      for (const [key, value] of Object.entries(subject.owner.attrs)) {
        const type = Object.hasOwn(TYPES, key) ? TYPES[key] : undefined;
        const problem = type?.check(value);
        if (!type || !problem) continue;
        const at = valuePos(subject.owner, key, subject.pos);
        const inherited = subject.owner.attrPos[key] === undefined && subject.kind !== "graph";
        const place = `${key}@${at.line}:${at.column}`;
        if (seen.has(place)) continue;
        seen.add(place);
        out.push(
          issue(graph, {
            rule: "attr_type",
            severity: "error",
            message: `${key} "${value}" on ${inherited ? `a ${subject.kind} default` : subject.where} ${problem}`,
            hint: type.hint,
            at,
            ...(inherited ? {} : subjectOf(subject)),
          }),
        );
      }
    }
    return out;
  },
};

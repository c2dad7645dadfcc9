/** A requirement must promise something a test can observe, or nobody can tell it was met. */
import type { Diagnostic } from "../../common/index.js";
import { type EarsClause, parseEars } from "./ears.js";
import { diagnosticAt, type IntentRule, rawItems } from "./rule-context.js";

const WEAK_VERBS = new Set([
  "be",
  "handle",
  "support",
  "manage",
  "consider",
  "ensure",
  "try",
  "attempt",
  "work",
  "improve",
  "optimise",
  "optimize",
  "facilitate",
  "deal",
]);

const ADVERBS = new Set(["always", "only", "also"]);

// A number (an HTTP status is one), a quoted literal, or a field named in backticks.
const MEASURABLE = [/\d/, /"[^"]+"/, /“[^”]+”/, /(?<!\w)'[^']+'(?!\w)/, /`[^`]+`/];

const HINT = 'rewrite as "WHEN <trigger> THE SYSTEM SHALL <observable response>"';

function weakVerb(clause: EarsClause): string | undefined {
  const words = clause.raw.toLowerCase().split(/\s+/);
  const verb = words.find((word) => !ADVERBS.has(word));
  if (verb === undefined || verb === "") return "";
  if (!WEAK_VERBS.has(verb)) return undefined;
  return MEASURABLE.some((pattern) => pattern.test(clause.raw)) ? undefined : verb;
}

export const noObservableOutcomeRule: IntentRule = (context) => {
  const out: Diagnostic[] = [];
  for (const item of rawItems(context.raw, "requirements")) {
    const statement = item.value.statement;
    if (typeof statement !== "string") continue;
    const path = ["requirements", item.index, "statement"];
    const name = item.id ?? `requirement ${item.index + 1}`;
    const ears = parseEars(statement);
    if (ears === undefined) {
      out.push(
        diagnosticAt(context, path, {
          rule: "no-observable-outcome",
          severity: "warning",
          message: `${name} has no SHALL or MUST clause, so it promises nothing a test can check`,
          hint: HINT,
        }),
      );
      continue;
    }
    const weak = ears.clauses.map(weakVerb);
    if (weak.some((verb) => verb === undefined)) continue;
    const verbs = [...new Set(weak.filter((verb) => verb !== ""))];
    out.push(
      diagnosticAt(context, path, {
        rule: "no-observable-outcome",
        severity: "warning",
        message: verbs.length
          ? `${name} only says the system shall ${verbs.join("/")} something, with nothing measurable`
          : `${name} has a SHALL with no response after it`,
        hint: `${HINT}, naming a status, a field, a message or a number`,
      }),
    );
  }
  return out;
};

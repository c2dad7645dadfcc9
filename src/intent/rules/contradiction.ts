/**
 * Two requirements with the same trigger and subject that cannot both hold: one forbids
 * what the other demands, or they demand the same thing with different numbers.
 */
import type { Diagnostic } from "../../common/index.js";
import { type EarsStatement, parseEars } from "./ears.js";
import { diagnosticAt, type IntentRule, rawItems } from "./rule-context.js";

interface Parsed {
  id: string;
  line: number;
  ears: EarsStatement;
}

const withoutNumbers = (text: string) => text.replace(/\d+(?:\.\d+)?/g, "#");

function conflict(earlier: EarsStatement, later: EarsStatement): string | undefined {
  if (earlier.condition !== later.condition) return undefined;
  if (earlier.clauses.length !== later.clauses.length) return undefined;
  const responses = (ears: EarsStatement) => ears.clauses.map((c) => c.response).join(" ; ");
  const negations = (ears: EarsStatement) => ears.clauses.map((c) => c.negated).join();
  const [a, b] = [responses(earlier), responses(later)];
  const sameNegation = negations(earlier) === negations(later);
  if (a === b && !sameNegation) return "one forbids what the other requires";
  if (a !== b && sameNegation && withoutNumbers(a) === withoutNumbers(b))
    return "they ask for the same response with different numbers";
  return undefined;
}

export const contradictionRule: IntentRule = (context) => {
  const out: Diagnostic[] = [];
  const seen: Parsed[] = [];
  for (const item of rawItems(context.raw, "requirements")) {
    const statement = item.value.statement;
    if (typeof statement !== "string") continue;
    const ears = parseEars(statement);
    if (ears === undefined) continue;
    const path = ["requirements", item.index, "statement"];
    const id = item.id ?? `requirement ${item.index + 1}`;
    for (const earlier of seen) {
      const why = conflict(earlier.ears, ears);
      if (why === undefined) continue;
      out.push(
        diagnosticAt(context, path, {
          rule: "contradiction",
          severity: "warning",
          message: `${id} contradicts ${earlier.id} (line ${earlier.line}): same trigger, but ${why}`,
          hint: `keep one of ${earlier.id} and ${id}, or give them different triggers`,
        }),
      );
      break;
    }
    seen.push({ id, line: context.source.locate(path).line, ears });
  }
  return out;
};

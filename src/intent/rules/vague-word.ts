/** Words that let a builder claim success without anyone being able to check it. */
import type { Diagnostic } from "../../common/index.js";
import { findInScalar } from "./find-in-scalar.js";
import { diagnosticAt, type IntentRule, rawTexts } from "./rule-context.js";

interface VagueWord {
  /** Regex source; `\s+` between words so a phrase folded over two lines still matches. */
  pattern: string;
  hint: string;
}

const BOUND = "state a bound: 'within 200 ms at the 95th percentile'";

/** Each word with the rewrite that makes it checkable. */
export const VAGUE_WORDS: readonly VagueWord[] = [
  { pattern: "fast", hint: BOUND },
  { pattern: "quick(?:ly)?", hint: BOUND },
  { pattern: "as\\s+soon\\s+as\\s+possible", hint: BOUND },
  { pattern: "efficient", hint: "state the cost or time: 'at most 2 provider calls per refund'" },
  { pattern: "easy", hint: "name the steps or the time: 'in one API call', 'in under 5 minutes'" },
  { pattern: "simple", hint: "say what must be absent or how many steps it takes" },
  {
    pattern: "intuitive",
    hint: "state a test a person can run: 'a new user finishes it without help'",
  },
  {
    pattern: "user-friendly",
    hint: "state a test a person can run: 'a new user finishes it without help'",
  },
  { pattern: "robust", hint: "name the failures it must survive and what it does for each" },
  { pattern: "flexible", hint: "name the variations it must accept" },
  { pattern: "scalable", hint: "state the load: '500 refunds per second with p95 under 300 ms'" },
  {
    pattern: "seamless(?:ly)?",
    hint: "say what the user must not notice: 'no downtime', 'no second login'",
  },
  { pattern: "etc\\.", hint: "list every case" },
  { pattern: "and/or", hint: "say 'and' or 'or', or list the combinations" },
  { pattern: "as\\s+needed", hint: "state the condition that triggers it" },
  {
    pattern: "if\\s+possible",
    hint: "say whether it is required; if it is optional, say when it may be skipped",
  },
  { pattern: "appropriate", hint: "name the exact value, status or action" },
  { pattern: "reasonable", hint: "give the number or the limit" },
  { pattern: "some", hint: "say which ones, or how many" },
  { pattern: "several", hint: "give the number" },
  { pattern: "many", hint: "give the number" },
  { pattern: "various", hint: "list them" },
  { pattern: "normally", hint: "state the condition, and what happens when it does not hold" },
  { pattern: "usually", hint: "state the condition, and what happens when it does not hold" },
];

// `(?!\w)` rather than `\b` at the end: `\b` would refuse "etc." before a space.
const patternFor = (word: VagueWord) => new RegExp(`\\b(?:${word.pattern})(?!\\w)`, "gi");

export const vagueWordRule: IntentRule = (context) => {
  const out: Diagnostic[] = [];
  for (const { path, text } of rawTexts(context.raw)) {
    for (const word of VAGUE_WORDS) {
      for (const hit of findInScalar(context, path, text, patternFor(word))) {
        const found = hit.text.replace(/\s+/g, " ");
        out.push({
          ...diagnosticAt(context, path, {
            rule: "vague-word",
            severity: "warning",
            message: `"${found}" cannot be tested`,
            hint: word.hint,
          }),
          line: hit.line,
          column: hit.column,
        });
      }
    }
  }
  return out;
};

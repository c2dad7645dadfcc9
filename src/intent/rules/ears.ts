/**
 * A requirement statement read the EARS way: a condition (trigger and subject) before
 * the first SHALL or MUST, and one response clause per SHALL or MUST.
 */
export interface EarsClause {
  negated: boolean;
  /** The response as written, without the modal and its negation. */
  raw: string;
  /** Lower case, punctuation and "then" gone, a space between a number and its unit. */
  response: string;
}

export interface EarsStatement {
  /** The normalised text before the first modal: "when a refund is requested the system". */
  condition: string;
  clauses: EarsClause[];
}

const MODAL = /\b(?:shall|must)\b/gi;
const NEGATION = /^(?:not|never)\b\s*/i;

/** Undefined when the statement has no SHALL or MUST at all. */
export function parseEars(statement: string): EarsStatement | undefined {
  const modals = [...statement.matchAll(MODAL)];
  const first = modals[0];
  if (first === undefined) return undefined;
  const clauses = modals.map((modal, i) => {
    const end = modals[i + 1]?.index ?? statement.length;
    let raw = statement
      .slice(modal.index + modal[0].length, end)
      .trim()
      .replace(/[\s,]*\band$/i, "");
    const negation = NEGATION.exec(raw);
    if (negation) raw = raw.slice(negation[0].length);
    return { negated: negation !== null, raw, response: normaliseEars(raw) };
  });
  return { condition: normaliseEars(statement.slice(0, first.index)), clauses };
}

export function normaliseEars(text: string): string {
  return text
    .toLowerCase()
    .replace(/(\d)([a-z%])/g, "$1 $2")
    .replace(/(?<!\d)\.|\.(?!\d)/g, " ")
    .replace(/[^a-z0-9.%\s-]/g, " ")
    .replace(/\bthen\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

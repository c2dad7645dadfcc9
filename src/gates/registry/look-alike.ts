/**
 * Typosquatting by name alone: how close a dependency's name sits to a popular one. A name
 * that is itself popular is never a look-alike.
 */

export interface LookAlike {
  /** The popular name it imitates, "" when none. */
  similar_to: string;
  /** Edit distance to it; 0 for a separator or scope look-alike, and when none. */
  distance: number;
}

const NONE: LookAlike = { similar_to: "", distance: 0 };

/**
 * Damerau–Levenshtein distance in its optimal-string-alignment form: insertions, deletions,
 * substitutions and transpositions of two neighbours (`lodahs` → `lodash` is 1).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] as number;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

/** How far a name of this length may be from a popular one and still count as imitating it. */
function allowance(length: number): number {
  // Very short names are all within an edit or two of each other (`ms`, `qs`, `ws`, `pg`).
  if (length <= 3) return 0;
  return length <= 5 ? 1 : 2;
}

const unscoped = (name: string) =>
  name.startsWith("@") ? name.slice(name.indexOf("/") + 1) : name;
const squash = (name: string) => name.replace(/[-_.]/g, "");

/**
 * The popular name `name` imitates, if any: within an edit distance of 2 (1 for names of four
 * or five characters, none below that), or equal once separators (`-`, `_`, `.`) are dropped
 * (`crossenv`, `cross_env`) or a scope is dropped and then separators (`@evil/cross-env`).
 *
 * A scoped name whose own part is exactly a popular name (`@types/node`, `@sentry/react`) is
 * the usual shape of a plugin or typings package, not an imitation, and is not flagged; a near
 * miss under a scope (`@evil/lodahs`) is. The earliest (most popular) match wins a tie.
 */
export function lookAlike(name: string, popular: readonly string[]): LookAlike {
  const lower = name.toLowerCase();
  if (popular.includes(lower)) return NONE;
  const scoped = lower.startsWith("@");
  const own = unscoped(lower);
  if (scoped && popular.includes(own)) return NONE;
  let best: LookAlike | undefined;
  for (const candidate of popular) {
    // A popular scoped name is compared whole; a popular unscoped one with a name's own part.
    const mine = scoped && candidate.startsWith("@") ? lower : own;
    if (mine === candidate) continue;
    if (squash(mine) === squash(candidate)) return { similar_to: candidate, distance: 0 };
    const distance = editDistance(mine, candidate);
    if (distance > allowance(Math.min(mine.length, candidate.length))) continue;
    if (!best || distance < best.distance) best = { similar_to: candidate, distance };
  }
  return best ?? NONE;
}

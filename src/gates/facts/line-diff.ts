/**
 * A line diff (Myers' O(ND) algorithm) between two texts: which lines of `after` were added
 * and which lines of `before` were removed, with 1-based line numbers. Pure, so test and secret
 * facts can be computed from two strings without asking git for hunks.
 */

export interface DiffLine {
  /** 1-based, in `after` for added lines and in `before` for removed ones. */
  line: number;
  text: string;
}

export interface LineDiff {
  added: DiffLine[];
  removed: DiffLine[];
}

/** Past this many differences, the middle is reported as all removed and all added. */
const MAX_EDITS = 1000;

/** Splits text into lines; a final newline does not make an empty last line. */
export function splitLines(text: string | undefined): string[] {
  if (text === undefined || text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** The lines `after` adds to `before` and the lines it removes. */
export function lineDiff(before: string | undefined, after: string | undefined): LineDiff {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const kept = middleMatches(a.slice(start, endA), b.slice(start, endB));
  const added: DiffLine[] = [];
  const removed: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (const [mi, mj] of [...kept, [endA - start, endB - start] as const]) {
    for (; i < mi; i++) removed.push({ line: start + i + 1, text: a[start + i] ?? "" });
    for (; j < mj; j++) added.push({ line: start + j + 1, text: b[start + j] ?? "" });
    i = mi + 1;
    j = mj + 1;
  }
  return { added, removed };
}

/** Index pairs of the lines Myers' algorithm keeps, in order; none when the texts differ too much. */
function middleMatches(a: string[], b: string[]): (readonly [number, number])[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))
          ? (v[offset + k + 1] ?? 0)
          : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, offset, n, m, d);
    }
  }
  return [];
}

function backtrack(
  trace: Int32Array[],
  offset: number,
  n: number,
  m: number,
  edits: number,
): (readonly [number, number])[] {
  const kept: (readonly [number, number])[] = [];
  let x = n;
  let y = m;
  for (let d = edits; d > 0; d--) {
    const v = trace[d] as Int32Array;
    const k = x - y;
    const prevK =
      k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? k + 1 : k - 1;
    const prevX = v[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      kept.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    kept.push([x, y]);
  }
  return kept.reverse();
}

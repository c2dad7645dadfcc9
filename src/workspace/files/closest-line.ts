/** The hint `edit` gives when its `oldText` is not in the file: the line it most resembles. */
import { editDistance } from "../../common/index.js";

const CLIP = 80;
const MAX_FUZZY_LINES = 20_000;

function normalise(line: string): string {
  return line.trim().replace(/\s+/g, " ").slice(0, CLIP);
}

/** The 1-based line of `text` nearest to the first non-blank line of `needle`. */
export function closestLine(
  text: string,
  needle: string,
): { line: number; text: string } | undefined {
  const wanted = needle
    .split("\n")
    .map(normalise)
    .find((line) => line !== "");
  if (wanted === undefined) return undefined;
  const lines = text.split("\n");
  const fuzzy = lines.length <= MAX_FUZZY_LINES;
  let best: { line: number; text: string } | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const [index, raw] of lines.entries()) {
    const candidate = normalise(raw);
    if (candidate === "") continue;
    // The length difference is a lower bound on the distance: skip the costly comparison.
    if (Math.abs(candidate.length - wanted.length) >= bestDistance) continue;
    if (!fuzzy && candidate !== wanted) continue;
    const distance = candidate === wanted ? 0 : editDistance(wanted, candidate);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = { line: index + 1, text: raw.replace(/\r$/, "") };
      if (distance === 0) break;
    }
  }
  return best;
}

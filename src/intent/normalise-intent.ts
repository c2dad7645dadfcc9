/** Turns schema-valid front matter into the Intent a bolt uses: durations in ms, the body attached. */
import { parseDuration } from "../common/index.js";
import type { Intent, IntentFrontMatter } from "./intent-schema.js";

export function normaliseIntent(frontMatter: IntentFrontMatter, body: string): Intent {
  const { budget, ...rest } = frontMatter;
  if (budget === undefined) return { ...rest, body };
  const wallTimeMs = budget.wall_time === undefined ? undefined : parseDuration(budget.wall_time);
  return {
    ...rest,
    budget: wallTimeMs === undefined ? budget : { ...budget, wall_time_ms: wallTimeMs },
    body,
  };
}

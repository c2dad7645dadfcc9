/** An intent a bolt can run, or why not. */
import type { Parsed } from "../common/index.js";
import type { Intent } from "./intent-schema.js";
import { lintIntent } from "./lint-intent.js";

/**
 * Parse, normalise and lint an intent. `ok` only when no rule found an error, so a
 * caller never starts a bolt on an intent `factory intent lint` would reject; the
 * warnings come back beside the value.
 */
export function parseIntent(text: string, file: string): Parsed<Intent> {
  const { intent, diagnostics } = lintIntent(text, file);
  if (intent === undefined) return { ok: false, issues: diagnostics };
  return { ok: true, value: intent, warnings: diagnostics };
}

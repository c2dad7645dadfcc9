/** `factory intent lint`: every problem in an intent, located, with a suggested fix. */
import { type Diagnostic, sortDiagnostics } from "../common/index.js";
import type { Intent } from "./intent-schema.js";
import { readIntent } from "./read-intent.js";
import { intentRules } from "./rules/index.js";

export interface IntentLintResult {
  file: string;
  /** Set only when the intent has no errors (warnings allowed). */
  intent?: Intent;
  /** Sorted by line, then column. */
  diagnostics: Diagnostic[];
}

// These rules say what the schema says about the same field, with a better hint.
const REPLACES_SCHEMA = new Set(["version", "risk-range", "budget-range"]);

/** Pure: never throws for bad content and never reads the file system. */
export function lintIntent(text: string, file: string): IntentLintResult {
  const read = readIntent(text, file);
  if (!read.ok) return { file, diagnostics: sortDiagnostics([...read.issues]) };
  const found = intentRules.flatMap((rule) =>
    rule({ file, source: read.source, lines: read.lines, raw: read.raw }),
  );
  const replaced = new Set(found.filter((d) => REPLACES_SCHEMA.has(d.rule)).map((d) => d.path));
  const schema = read.issues.filter((d) => !replaced.has(d.path));
  const diagnostics = sortDiagnostics([...schema, ...found]);
  const clean = read.intent !== undefined && !diagnostics.some((d) => d.severity === "error");
  return clean ? { file, intent: read.intent, diagnostics } : { file, diagnostics };
}

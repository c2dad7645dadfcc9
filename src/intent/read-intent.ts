/**
 * The first two steps of reading an intent: parse (front matter, YAML, schema) and
 * normalise. The linter's rules come third and work on `raw`, so they run even when the
 * schema fails.
 */

import type { z } from "zod";
import {
  closestWord,
  type Diagnostic,
  type LocatedYaml,
  parseLocatedYaml,
  shapeKeysAt,
  zodIssuesToDiagnostics,
} from "../common/index.js";
import { splitFrontMatter } from "./front-matter.js";
import { type Intent, intentSchema } from "./intent-schema.js";
import { normaliseIntent } from "./normalise-intent.js";
import { isRecord } from "./rules/rule-context.js";

export type ReadIntent =
  | { ok: false; issues: Diagnostic[] }
  | {
      ok: true;
      source: LocatedYaml;
      lines: string[];
      raw: Record<string, unknown>;
      /** Schema problems; empty when `intent` is set. */
      issues: Diagnostic[];
      intent?: Intent;
    };

export function readIntent(text: string, file: string): ReadIntent {
  const front = splitFrontMatter(text, file);
  if (!front.ok) return { ok: false, issues: [front.issue] };
  const source = parseLocatedYaml(front.yaml, file, front.lineOffset);
  if (source.syntaxIssues.length > 0) return { ok: false, issues: source.syntaxIssues };
  if (!isRecord(source.value)) {
    const found = source.value == null ? "nothing" : JSON.stringify(source.value);
    return {
      ok: false,
      issues: [
        {
          rule: "front-matter",
          severity: "error",
          message: `the front matter must be YAML fields (key: value), found ${found}`,
          file,
          line: 1,
          column: 1,
          hint: "write version, id, title, goal, requirements and acceptance between the `---` lines",
        },
      ],
    };
  }
  const base = { ok: true as const, source, lines: front.lines, raw: source.value };
  // Without `reportInput` a wrong type reads as a missing field in the diagnostics.
  const parsed = intentSchema.safeParse(source.value, { reportInput: true });
  if (parsed.success)
    return { ...base, issues: [], intent: normaliseIntent(parsed.data, front.body) };
  const issues = withoutTypoEchoes(parsed.error.issues);
  return { ...base, issues: zodIssuesToDiagnostics(issues, source, intentSchema) };
}

/**
 * A misspelt key yields two issues, the unknown key and the missing field it was meant to
 * be; the "did you mean" on the first says it all, so the second is dropped.
 */
function withoutTypoEchoes(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const meant = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const path = issue.path.map(String);
    const known = shapeKeysAt(
      intentSchema,
      issue.path.filter((p) => typeof p !== "symbol"),
    );
    for (const key of issue.keys) {
      const suggestion = closestWord(key, known);
      if (suggestion !== undefined) meant.add(JSON.stringify([...path, suggestion]));
    }
  }
  return issues.filter(
    (issue) =>
      !(
        issue.code === "invalid_type" &&
        issue.input === undefined &&
        meant.has(JSON.stringify(issue.path.map(String)))
      ),
  );
}

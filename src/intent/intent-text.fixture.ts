/** Small intents for tests: wrap YAML in front matter and lint it. */
import type { Diagnostic } from "../common/index.js";
import { type IntentLintResult, lintIntent } from "./lint-intent.js";

/** Lines 2 to 5 of a file made by `lintYaml`. */
export const HEADER = `version: 1
id: refunds
title: Refunds
goal: Refund a captured payment with one POST /refunds call.
`;

/** One requirement, covered; starts on line 6 after HEADER. */
export const COVERED = `requirements:
  - id: REQ-1
    statement: WHEN a client sends POST /refunds THE SYSTEM SHALL respond 201.
acceptance:
  - id: AC-1
    covers: [REQ-1]
    criterion: Given a payment, when POST /refunds is sent, then the response is 201.
`;

/** The front matter starts on line 2 of the file, so YAML line n is file line n + 1. */
export function lintYaml(yaml: string): IntentLintResult {
  return lintIntent(`---\n${yaml}---\n\nSome prose for agents.\n`, "t.md");
}

export function withRule(result: IntentLintResult, rule: string): Diagnostic[] {
  return result.diagnostics.filter((d) => d.rule === rule);
}

/** `rule@line:column` for each diagnostic: compact to assert, and a failure shows all of them. */
export function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.rule}@${d.line}:${d.column}`);
}

/**
 * HEADER, then one requirement per statement (REQ-1 ...) and one criterion covering them all.
 * Requirement i (from 1) has its id on line 5 + 2i and its statement on line 6 + 2i, column 16.
 */
export function requirementsYaml(...statements: string[]): string {
  const items = statements.map((s, i) => `  - id: REQ-${i + 1}\n    statement: ${s}\n`).join("");
  const ids = statements.map((_, i) => `REQ-${i + 1}`).join(", ");
  return `${HEADER}requirements:\n${items}acceptance:\n  - id: AC-1\n    covers: [${ids}]\n    criterion: Given a payment, when it is refunded, then the response is 201.\n`;
}

/** Helpers for rule tests: parse DOT, validate, and show where each rule fired as `line:column`. */
import { parseDot } from "../dot/parse-dot.js";
import type { PipelineGraph } from "../graph.js";
import type { PipelineDiagnostic } from "./lint-rule.js";
import { type ValidateOptions, validatePipeline } from "./validate-pipeline.js";

/** A pipeline no rule objects to; tests change one thing in it. */
export const CLEAN = `digraph T {
  start [shape=Mdiamond]
  exit [shape=Msquare]
  work [prompt="Do it"]
  start -> work -> exit
}`;

export function graphOf(text: string): PipelineGraph {
  const parsed = parseDot(text, "t.dot");
  if (!parsed.ok) throw new Error(`fixture does not parse: ${JSON.stringify(parsed.issues)}`);
  return parsed.graph;
}

export function lint(text: string, options?: ValidateOptions): PipelineDiagnostic[] {
  return validatePipeline(graphOf(text), options);
}

/** `line:column` of every diagnostic of `rule`. */
export function where(diagnostics: readonly PipelineDiagnostic[], rule: string): string[] {
  return diagnostics.filter((d) => d.rule === rule).map((d) => `${d.line}:${d.column}`);
}

/** The diagnostics of `rule` only. */
export function only(
  diagnostics: readonly PipelineDiagnostic[],
  rule: string,
): PipelineDiagnostic[] {
  return diagnostics.filter((d) => d.rule === rule);
}

/** `CLEAN` with `lines` added before the closing brace, from line 6 on. */
export function cleanWith(...lines: string[]): string {
  return CLEAN.replace(/\}$/, `${lines.map((l) => `  ${l}\n`).join("")}}`);
}

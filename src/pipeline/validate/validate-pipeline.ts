/** Validation (§7.3): every built-in rule, then the caller's, sorted by position. */
import { sortDiagnostics } from "../../common/index.js";
import type { PipelineGraph } from "../graph.js";
import type { LintRule, PipelineDiagnostic } from "./lint-rule.js";
import { builtInRules } from "./rules/index.js";

export interface ValidateOptions {
  /**
   * Every handler type the registry can run; replaces the default, the §2.8 types
   * (`SPEC_HANDLER_TYPES`). Pass `new Set([...SPEC_HANDLER_TYPES, ...yours])` to extend it.
   */
  knownTypes?: ReadonlySet<string>;
  /** Run after the built-in rules (§7.4). */
  extraRules?: readonly LintRule[];
}

/** Every problem in a parsed, transformed graph. Pure; never throws for any graph the parser makes. */
export function validatePipeline(
  graph: PipelineGraph,
  options: ValidateOptions = {},
): PipelineDiagnostic[] {
  const rules = [...builtInRules(options.knownTypes), ...(options.extraRules ?? [])];
  return sortDiagnostics(rules.flatMap((rule) => rule.apply(graph)));
}

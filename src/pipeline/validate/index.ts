export type { AttrOwner, Finding, LintRule, PipelineDiagnostic } from "./lint-rule.js";
export { issue, keyPos, offsetPos, positionInValue, valuePos } from "./lint-rule.js";
export { builtInRules, FIDELITY_MODES, SPEC_HANDLER_TYPES } from "./rules/index.js";
export { type ValidateOptions, validatePipeline } from "./validate-pipeline.js";

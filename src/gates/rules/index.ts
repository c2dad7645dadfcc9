export { defaultPolicyPath } from "./default-policy.js";
export { cleanDependency, emptyFacts } from "./empty-facts.js";
export { evaluatePolicies } from "./evaluate-policies.js";
export { loadPolicies, parsePolicyFile, policyFiles } from "./load-policies.js";
export {
  type GateDecision,
  type GateVerdict,
  type LoadedRule,
  type PolicyFile,
  type PolicyIssue,
  type PolicyLoad,
  type PolicyRule,
  policyFileSchema,
  type RuleDecision,
  type RuleResult,
  ruleDecisions,
} from "./policy-schema.js";

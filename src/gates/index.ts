/** Gates: facts about a change, judged by policies as code (DESIGN §8). */
export {
  type CheckChangeOptions,
  checkChange,
  type GateReport,
  PolicyInvalidError,
} from "./check-change.js";
export { describeGateReport } from "./describe-gate-report.js";
export type * from "./facts/change-facts.js";
export { factTypes, factVariables } from "./facts/change-facts.js";
export { homePolicies } from "./home-policies.js";
export { maxRisk, measureRisk } from "./risk/index.js";
export {
  defaultPolicyPath,
  emptyFacts,
  evaluatePolicies,
  type GateDecision,
  loadPolicies,
  type PolicyIssue,
  policyFiles,
  type RuleResult,
} from "./rules/index.js";

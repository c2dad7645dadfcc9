/** The built-in rules: the spec's (§7.2) in its order, then ours. */
import type { LintRule } from "../lint-rule.js";
import { attrTypeRule } from "./attr-type.js";
import { attrUnknownRule } from "./attr-unknown.js";
import { conditionSyntaxRule } from "./condition-syntax.js";
import { edgeTargetExistsRule } from "./edge-target-exists.js";
import { fidelityValidRule } from "./fidelity-valid.js";
import {
  humanGateNoChoicesRule,
  parallelNoBranchesRule,
  toolCommandMissingRule,
} from "./handler-requirements.js";
import { loopRestartUnsupportedRule } from "./loop-restart-unsupported.js";
import { managerLoopUnsupportedRule } from "./manager-loop-unsupported.js";
import { promptOnLlmNodesRule } from "./prompt-on-llm-nodes.js";
import { reachabilityRule } from "./reachability.js";
import { goalGateHasRetryRule, retryTargetExistsRule } from "./retry-targets.js";
import {
  exitNoOutgoingRule,
  startNodeRule,
  startNoIncomingRule,
  terminalNodeRule,
} from "./start-and-exit.js";
import { stylesheetSyntaxRule } from "./stylesheet-syntax.js";
import { typeKnownRule } from "./type-known.js";
import { unboundedLoopRule } from "./unbounded-loop.js";

export { FIDELITY_MODES } from "./fidelity-valid.js";
export { SPEC_HANDLER_TYPES } from "./type-known.js";

export function builtInRules(knownTypes?: ReadonlySet<string>): LintRule[] {
  return [
    startNodeRule,
    terminalNodeRule,
    reachabilityRule,
    edgeTargetExistsRule,
    startNoIncomingRule,
    exitNoOutgoingRule,
    conditionSyntaxRule,
    stylesheetSyntaxRule,
    typeKnownRule(knownTypes),
    fidelityValidRule,
    retryTargetExistsRule,
    goalGateHasRetryRule,
    promptOnLlmNodesRule,
    managerLoopUnsupportedRule,
    attrTypeRule,
    attrUnknownRule,
    unboundedLoopRule,
    toolCommandMissingRule,
    humanGateNoChoicesRule,
    parallelNoBranchesRule,
    loopRestartUnsupportedRule,
  ];
}

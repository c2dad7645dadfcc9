/** Agents: the driver, planner and evaluator contracts and their drivers. */

export {
  type CliAgentReport,
  type CliDriverConfig,
  type CliDriverDeps,
  createCliDriver,
  credentialsFromEnv,
} from "./cli/index.js";
export {
  type AgentAction,
  type AgentDriver,
  type AgentPlanner,
  type AgentReport,
  type AgentRole,
  type AgentTask,
  type AgentTools,
  type AgentUsage,
  agentRoles,
  type IntentBrief,
  type PlanRequest,
  type StopReason,
  sandboxRunner,
} from "./contract.js";
export {
  type AgentEvaluator,
  type Evaluation,
  type EvaluationRequest,
  type EvaluationSatisfaction,
  evaluationSatisfactionSchema,
  evaluationSchema,
  type Finding,
} from "./evaluator.js";
export {
  type Budget,
  createLlmDriver,
  type LlmDriverOptions,
  newSpend,
  type Spend,
} from "./llm/llm-driver.js";
export {
  createLlmEvaluator,
  type LlmEvaluatorOptions,
  parseEvaluation,
} from "./llm/llm-evaluator.js";
export {
  type LlmMessage,
  type LlmProvider,
  type LlmRequest,
  type LlmResponse,
  type ModelPrice,
  ProviderError,
  type ProviderErrorKind,
} from "./llm/provider.js";
export {
  createAnthropicProvider,
  createOpenAiProvider,
  createProvider,
  defaultPrices,
  priceOf,
} from "./llm/providers/index.js";
export { cassetteFromScript, type ScriptCassette } from "./script/script-cassette.js";
export {
  createScriptDriver,
  createScriptEvaluator,
  createScriptPlanner,
  loadAgentScript,
  parseAgentScript,
} from "./script/script-driver.js";
export {
  type AgentScript,
  agentScriptSchema,
  type PlannedTask,
  type ScriptAction,
} from "./script/script-schema.js";

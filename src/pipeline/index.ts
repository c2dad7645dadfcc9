/** Pipelines: Attractor DOT graphs, validated, executed, journaled and resumable. */

export { answerGate } from "./answer-gate.js";
export { type BoltRunOptions, PipelineInvalidError, preparePipeline } from "./bolt-engine.js";
export { type BoltReport, boltReport, type NodeStatus } from "./bolt-report.js";
export {
  cancelBolt,
  DEFAULT_PIPELINE,
  newBoltId,
  resumeBolt,
  runIntent,
  runPipelineFile,
} from "./bolts.js";
export {
  type Clause,
  type ConditionScope,
  evaluateCondition,
  evaluateConditionText,
  parseCondition,
} from "./condition/index.js";
export { type ParsedDot, parseDot } from "./dot/parse-dot.js";
export { type BoltResult, createEngine, type Engine } from "./engine/engine.js";
export type { EngineDeps, EngineEvent } from "./engine/engine-deps.js";
export { BoltLeasedError, BoltNotResumableError } from "./engine/engine-errors.js";
export {
  type BranchResult,
  createHandlerRegistry,
  type Handler,
  type HandlerInput,
  type HandlerRegistry,
} from "./engine/handler.js";
export { isLocalOwnerAlive, leaseOwnerName } from "./engine/lease.js";
export type { Answer, HandlerResult, Outcome, Question, StageStatus } from "./engine/outcome.js";
export { RunContext } from "./engine/run-context.js";
export { type BoltLogEntry, readBoltLog } from "./factory/bolt-log.js";
export { boltIntegrationPath } from "./factory/bolt-workspace.js";
export { boltSpendOf, builderForModel } from "./factory/drivers.js";
export { FAILURE_LINE } from "./factory/factory-deps.js";
export { FACTORY_HANDLER_TYPES } from "./factory/factory-registry.js";
export { checkBoltGate } from "./factory/gates.js";
export { type CollectedBolt, collectGarbage } from "./factory/gc.js";
export { rubricJudgeFor } from "./factory/rubric-judge.js";
export { type SatisfactionPoint, satisfactionHistory } from "./factory/scenarios-stage.js";
export type { TestSummary } from "./factory/test-stage.js";
export * from "./graph.js";
export {
  type CodergenBackend,
  createCodergenHandler,
  createScriptedBackend,
} from "./handlers/codergen.js";
export { createDefaultRegistry, type DefaultRegistryOptions } from "./handlers/default-registry.js";
export {
  createAutoApproveInterviewer,
  createCallbackInterviewer,
  createConsoleInterviewer,
  createQueueInterviewer,
  createRecordingInterviewer,
  type Interviewer,
} from "./handlers/interviewers.js";
export {
  createLocalExecutor,
  type ToolExecutor,
  type ToolResult,
  type ToolRun,
} from "./handlers/tool-executor.js";
export {
  type LoadedPipeline,
  type LoadPipelineOptions,
  loadPipeline,
  loadPipelineFile,
  type PipelineDiagnostic,
  type PipelineTransform,
} from "./load-pipeline.js";
export { applyStylesheet, parseStylesheet, type StyleRule } from "./stylesheet/index.js";
export {
  type LintRule,
  SPEC_HANDLER_TYPES,
  type ValidateOptions,
  validatePipeline,
} from "./validate/index.js";

/** Agents: the driver contract and its drivers. */
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
  type PlanRequest,
  type StopReason,
  sandboxRunner,
} from "./contract.js";
export { cassetteFromScript, type ScriptCassette } from "./script/script-cassette.js";
export {
  createScriptDriver,
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

/** Agents: the driver contract and its drivers. */
export {
  type AgentAction,
  type AgentDriver,
  type AgentReport,
  type AgentRole,
  type AgentTask,
  type AgentTools,
  agentRoles,
  sandboxRunner,
} from "./contract.js";
export { createScriptDriver, loadAgentScript, parseAgentScript } from "./script/script-driver.js";
export { type AgentScript, agentScriptSchema, type ScriptAction } from "./script/script-schema.js";

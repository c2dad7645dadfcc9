/** The agent behind each role, as factory.yaml names it. */
import { resolve } from "node:path";
import {
  type AgentDriver,
  type AgentPlanner,
  type AgentRole,
  createScriptDriver,
  createScriptPlanner,
  loadAgentScript,
} from "../../agents/index.js";
import { InputError } from "../../common/index.js";
import type { Home } from "../../home/index.js";

function scriptOf(home: Home, role: AgentRole): string {
  const config = home.config.agents[role];
  if (!config) {
    throw new InputError("agent-missing", `factory.yaml names no ${role}`, {
      hint: `add agents.${role} to ${home.config.file}, e.g. { driver: script, script: agents/${role}.yaml }`,
    });
  }
  if (config.driver !== "script") {
    throw new InputError(
      "driver-unavailable",
      `the ${role}'s driver "${config.driver}" is not available in this version`,
      { hint: `use { driver: script, script: agents/${role}.yaml } for agents.${role}` },
    );
  }
  return resolve(home.root, config.script);
}

export function plannerFor(home: Home): AgentPlanner {
  const file = scriptOf(home, "planner");
  return createScriptPlanner(loadAgentScript(file), file);
}

export function driverFor(home: Home, role: AgentRole): AgentDriver {
  return createScriptDriver(loadAgentScript(scriptOf(home, role)));
}

/** The agent behind each role, as factory.yaml names it. */
import { resolve } from "node:path";
import {
  type AgentDriver,
  type AgentPlanner,
  type AgentRole,
  createLlmDriver,
  createProvider,
  createScriptDriver,
  createScriptPlanner,
  loadAgentScript,
  newSpend,
  priceOf,
  type Spend,
} from "../../agents/index.js";
import { InputError } from "../../common/index.js";
import type { AgentConfig, Home } from "../../home/index.js";
import { readBoltLog } from "./bolt-log.js";

function configOf(home: Home, role: AgentRole): AgentConfig {
  const config = home.config.agents[role];
  if (!config) {
    throw new InputError("agent-missing", `factory.yaml names no ${role}`, {
      hint: `add agents.${role} to ${home.config.file}, e.g. { driver: script, script: agents/${role}.yaml } or { driver: llm, provider: anthropic, model: claude-sonnet-4-5 }`,
    });
  }
  return config;
}

function unavailable(role: AgentRole, driver: string, what: string): InputError {
  return new InputError(
    "driver-unavailable",
    `the ${role}'s driver "${driver}" cannot ${what} in this version`,
    {
      hint: `use { driver: script, script: agents/${role}.yaml }${role === "planner" ? "" : " or { driver: llm, ... }"} for agents.${role}`,
    },
  );
}

export function plannerFor(home: Home): AgentPlanner {
  const config = configOf(home, "planner");
  if (config.driver !== "script") throw unavailable("planner", config.driver, "plan");
  const file = resolve(home.root, config.script);
  return createScriptPlanner(loadAgentScript(file), file);
}

/**
 * The driver for `role`. An `llm` driver's provider is made here, so a missing key is a usage
 * error before any bolt starts; `boltSpend` is what the bolt's earlier tasks (and runs, before
 * a resume) already spent, which the bolt's budget counts.
 */
export function driverFor(
  home: Home,
  role: AgentRole,
  env: NodeJS.ProcessEnv,
  boltSpend: Spend = newSpend(),
): AgentDriver {
  const config = configOf(home, role);
  switch (config.driver) {
    case "script":
      return createScriptDriver(loadAgentScript(resolve(home.root, config.script)));
    case "llm": {
      const price = priceOf(config.model, home.config);
      return createLlmDriver({
        provider: createProvider(config, env),
        model: config.model,
        ...(price ? { price } : {}),
        budgets: home.config.budgets,
        boltSpend,
      });
    }
    case "cli":
      throw unavailable(role, config.driver, "build");
  }
}

/** What a bolt's model calls have cost so far, from its audit trail: it survives a resume. */
export async function boltSpendOf(home: Home, boltId: string): Promise<Spend> {
  const spend = newSpend();
  for (const entry of await readBoltLog(home, boltId)) {
    if (entry.action !== "agent.model_call") continue;
    const at = Date.parse(entry.ts);
    spend.startedAt = Math.min(spend.startedAt ?? at, at);
    spend.steps += 1;
    spend.inputTokens += Number(entry.data.inputTokens ?? 0);
    spend.outputTokens += Number(entry.data.outputTokens ?? 0);
    spend.costUsd += Number(entry.data.costUsd ?? 0);
  }
  return spend;
}

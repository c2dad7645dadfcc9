/** The agent behind each role, as factory.yaml names it. */
import { resolve } from "node:path";
import {
  type AgentDriver,
  type AgentEvaluator,
  type AgentPlanner,
  type AgentRole,
  createCliDriver,
  createLlmDriver,
  createLlmEvaluator,
  createProvider,
  createScriptDriver,
  createScriptEvaluator,
  createScriptPlanner,
  credentialsFromEnv,
  loadAgentScript,
  newSpend,
  priceOf,
  type Spend,
} from "../../agents/index.js";
import { InputError } from "../../common/index.js";
import type { AgentConfig, Home } from "../../home/index.js";
import type { Sandbox } from "../../workspace/index.js";
import { type BoltLogEntry, readBoltLog } from "./bolt-log.js";

function configOf(home: Home, role: AgentRole): AgentConfig {
  const config = home.config.agents[role];
  if (!config) {
    throw new InputError("agent-missing", `factory.yaml names no ${role}`, {
      hint: `add agents.${role} to ${home.config.file}, e.g. { driver: script, script: agents/${role}.yaml } or { driver: llm, provider: anthropic, model: claude-sonnet-5-5 }`,
    });
  }
  return config;
}

function unavailable(role: AgentRole, driver: string, what: string): InputError {
  return new InputError(
    "driver-unavailable",
    `the ${role}'s driver "${driver}" cannot ${what} in this version`,
    { hint: `use { driver: script, script: agents/${role}.yaml } for agents.${role}` },
  );
}

export function plannerFor(home: Home): AgentPlanner {
  const config = configOf(home, "planner");
  if (config.driver !== "script") throw unavailable("planner", config.driver, "plan");
  const file = resolve(home.root, config.script);
  return createScriptPlanner(loadAgentScript(file), file);
}

export interface EvaluatorDeps {
  /** The factory's environment: providers' keys and base URLs are read from it, nothing more. */
  env: NodeJS.ProcessEnv;
  /** Records the evaluator's model calls in the bolt's audit log. */
  record?: (action: string, data: Record<string, unknown>) => Promise<void>;
}

/**
 * The evaluator factory.yaml names. None named is an error, never an approval by default:
 * nothing would judge the bolt's work.
 */
export function evaluatorFor(home: Home, deps: EvaluatorDeps): AgentEvaluator {
  const config = home.config.agents.evaluator;
  if (!config) {
    throw new InputError(
      "agent-missing",
      "factory.yaml names no evaluator, so nothing can judge the bolt's work (it is never approved by default)",
      {
        hint: `add agents.evaluator to ${home.config.file}, e.g. { driver: llm, provider: anthropic, model: claude-sonnet-5-5 } or { driver: script, script: agents/evaluator.yaml }`,
      },
    );
  }
  switch (config.driver) {
    case "script": {
      const file = resolve(home.root, config.script);
      return createScriptEvaluator(loadAgentScript(file), file);
    }
    case "llm": {
      const price = priceOf(config.model, home.config);
      return createLlmEvaluator({
        provider: createProvider(config, deps.env),
        model: config.model,
        ...(price ? { price } : {}),
        ...(deps.record ? { record: deps.record } : {}),
      });
    }
    case "cli":
      throw unavailable("evaluator", config.driver, "evaluate");
  }
}

export interface DriverDeps {
  /** The factory's environment: providers' keys and base URLs are read from it, nothing more. */
  env: NodeJS.ProcessEnv;
  /** What the bolt's earlier tasks (and runs, before a resume) already spent. */
  boltSpend?: Spend;
  /** Where a `cli` agent runs; made only when a task starts. */
  sandbox?: () => Promise<Sandbox>;
  /** The agent to use instead of factory.yaml's (`factory run --model`). */
  config?: AgentConfig;
}

/**
 * The driver for `role`. A provider or CLI is set up here, so a missing key or an unknown tool
 * is a usage error before any bolt starts.
 */
export function driverFor(home: Home, role: AgentRole, deps: DriverDeps): AgentDriver {
  const config = deps.config ?? configOf(home, role);
  switch (config.driver) {
    case "script":
      return createScriptDriver(loadAgentScript(resolve(home.root, config.script)));
    case "llm": {
      const price = priceOf(config.model, home.config);
      return createLlmDriver({
        provider: createProvider(config, deps.env),
        model: config.model,
        ...(price ? { price } : {}),
        budgets: home.config.budgets,
        boltSpend: deps.boltSpend ?? newSpend(),
      });
    }
    case "cli":
      return createCliDriver(config, {
        sandbox:
          deps.sandbox ??
          (() => Promise.reject(new Error("no sandbox was given to run the cli agent in"))),
        credentials: credentialsFromEnv(config.command, config.model, deps.env),
        budget: home.config.budgets.task,
      });
  }
}

/** What a bolt's model calls have cost so far, from its audit trail: it survives a resume. */
export async function boltSpendOf(home: Home, boltId: string): Promise<Spend> {
  return spendOf(await readBoltLog(home, boltId));
}

/** The spend of the model calls among a bolt's log entries. */
export function spendOf(log: readonly BoltLogEntry[]): Spend {
  const spend = newSpend();
  for (const entry of log) {
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

/**
 * The builder `factory run --model <name>` asks for: the llm driver on the provider the model's
 * name (or `provider`) says, reached with the vendor's own variables.
 */
export function builderForModel(model: string, provider?: "openai" | "anthropic"): AgentConfig {
  return {
    driver: "llm",
    provider: provider ?? (/^claude/i.test(model) ? "anthropic" : "openai"),
    model,
  };
}

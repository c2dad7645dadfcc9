/** The schema of `factory.yaml`, the factory home's one configuration file. */
import { z } from "zod";
import type { ModelPrice } from "../agents/index.js";
import { type AgentRole, agentRoles } from "../agents/index.js";

export { type AgentRole, agentRoles } from "../agents/index.js";

/** Stages of the default bolt where a person's approval can be required. */
export const approvalStages = [
  "intake",
  "plan",
  "build",
  "test",
  "scenarios",
  "evaluate",
  "gates",
  "release",
] as const;

const duration = z.string().describe("a duration such as 90s, 30m, 2h");
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");

const llmAgentSchema = z.strictObject({
  driver: z.literal("llm"),
  provider: z.enum(["openai", "anthropic"]),
  model: z.string().min(1),
  /** Any OpenAI-compatible server (Ollama, vLLM, llama.cpp) or a twin. */
  base_url: z.url().optional(),
  /** The name of the variable that holds the key; the key itself never goes in this file. */
  api_key_env: envName.optional(),
});
const cliAgentSchema = z.strictObject({
  driver: z.literal("cli"),
  command: z.enum(["claude", "codex", "opencode", "gemini", "aider"]),
  args: z.array(z.string()).default([]),
  model: z.string().optional(),
});
const scriptAgentSchema = z.strictObject({
  driver: z.literal("script"),
  /** A YAML file of actions, relative to the home. */
  script: z.string().min(1),
});
export const agentSchema = z.discriminatedUnion("driver", [
  llmAgentSchema,
  cliAgentSchema,
  scriptAgentSchema,
]);
export type AgentConfig = z.infer<typeof agentSchema>;
export type LlmAgentConfig = z.infer<typeof llmAgentSchema>;

/** What one model costs, in USD per million tokens, as the vendor's price page says. */
const usdPerMTok = z
  .number("a number of US dollars per million tokens, such as 2.5")
  .nonnegative("a price cannot be negative; write 0 for a free model");
const modelPriceSchema = z.strictObject({
  input_per_mtok: usdPerMTok,
  output_per_mtok: usdPerMTok,
});

const budgetSchema = z.strictObject({
  usd: z.number().positive().optional(),
  tokens: z.number().int().positive().optional(),
  wall_time: duration.optional(),
  steps: z.number().int().positive().optional(),
});

const riskLevel = z.enum(["low", "medium", "high"]);

export const factoryConfigSchema = z.strictObject({
  version: z.literal(1),
  product: z.strictObject({
    /** The product's git repository, relative to the home or absolute. */
    repo: z.string().min(1),
    main_branch: z.string().min(1).default("main"),
    commands: z
      .strictObject({
        install: z.string().optional(),
        build: z.string().optional(),
        test: z.string().optional(),
      })
      .default({}),
  }),
  agents: z.partialRecord(z.enum(agentRoles), agentSchema).default({}),
  budgets: z
    .strictObject({
      bolt: budgetSchema.default({}),
      task: budgetSchema.default({}),
    })
    .default({ bolt: {}, task: {} }),
  risk: z
    .strictObject({
      default: riskLevel.default("medium"),
      /** Stages that wait for a person, per risk level. */
      approvals: z.partialRecord(riskLevel, z.array(z.string())).default({}),
    })
    .default({ default: "medium", approvals: {} }),
  /** How the holdout scenarios run: `factory scenarios run` and the bolt's `factory.scenarios`. */
  scenarios: z
    .strictObject({
      /** Satisfied trajectories over all that a bolt needs; an intent's `satisfaction` overrides it. */
      threshold: z.number().min(0).max(1).default(0.95),
      /** Trajectories per scenario and fault profile. */
      repeat: z.number().int().positive().max(10_000).default(3),
      /** Trajectories (or reused-product lanes) at once. */
      parallel: z.number().int().positive().max(64).default(2),
      /** `fresh`: a product process per trajectory; `reused`: one per lane, fresh twins each time. */
      isolation: z.enum(["fresh", "reused"]).default("reused"),
    })
    .default({ threshold: 0.95, repeat: 3, parallel: 2, isolation: "reused" }),
  /** Per model name; overrides the built-in price table and prices models it lacks. */
  pricing: z.record(z.string().min(1), modelPriceSchema).default({}),
  secrets: z
    .strictObject({
      /** Variables whose values are secrets, beyond those named like one (`*_TOKEN`, `*_KEY`, ...). */
      env: z.array(envName).default([]),
    })
    .default({ env: [] }),
});
export type FactoryConfigInput = z.infer<typeof factoryConfigSchema>;

export interface Budget {
  usd?: number;
  tokens?: number;
  wallTimeMs?: number;
  steps?: number;
}

/** `factory.yaml` after normalisation: absolute paths, durations in milliseconds. */
export interface FactoryConfig {
  version: 1;
  /** Absolute path of the file it was read from. */
  file: string;
  product: {
    repo: string;
    mainBranch: string;
    commands: { install?: string; build?: string; test?: string };
  };
  agents: Partial<Record<AgentRole, AgentConfig>>;
  budgets: { bolt: Budget; task: Budget };
  risk: {
    default: "low" | "medium" | "high";
    approvals: Partial<Record<"low" | "medium" | "high", string[]>>;
  };
  scenarios: FactoryConfigInput["scenarios"];
  /** Keyed by model name, as the agent config and the provider name it. */
  pricing: Record<string, ModelPrice>;
  secrets: { env: string[] };
}

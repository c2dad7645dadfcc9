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

/** Roles a principal can hold (DESIGN §8). */
export const principalRoles = ["admin", "author", "approver", "viewer", "agent"] as const;
export type PrincipalRole = (typeof principalRoles)[number];

/** How many people must approve at a risk level, and which roles count. */
const quorumSchema = z.strictObject({
  count: z.number().int().nonnegative().max(10),
  roles: z.array(z.enum(principalRoles)).min(1).default(["approver"]),
});
export type Quorum = z.infer<typeof quorumSchema>;

/** Paths whose change needs a person's eyes: CI config, auth code, migrations. */
export const defaultProtectedPaths = [
  ".github/**",
  ".gitlab-ci.yml",
  ".circleci/**",
  "**/auth/**",
  "**/*auth*.{js,ts,mjs,cjs}",
  "**/migrations/**",
  "**/*.sql",
  "CODEOWNERS",
  ".npmrc",
];
/** Paths that change how the product is built or deployed. */
export const defaultInfrastructurePaths = [
  "Dockerfile",
  "**/Dockerfile",
  "docker-compose*.yml",
  "**/*.tf",
  "**/*.tfvars",
  "k8s/**",
  "helm/**",
  "deploy/**",
  "infra/**",
];

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
      /** Approvals needed at a gate, per risk level; a change's facts can raise the level. */
      quorum: z.partialRecord(riskLevel, quorumSchema).default({}),
    })
    .default({ default: "medium", approvals: {}, quorum: {} }),
  /** Facts about each change that the policies in policies/*.yaml judge (DESIGN §8). */
  gates: z
    .strictObject({
      /** The npm registry dependency facts come from. */
      registry: z.url().default("https://registry.npmjs.org/"),
      /** npm's download counts API (api.npmjs.org for the real registry). */
      downloads: z.url().default("https://api.npmjs.org/"),
      /** How long to wait for the registry before saying it did not answer. */
      registry_timeout: duration.default("10s"),
      /** Static analysis of the product, run in the sandbox on the change: name → command. */
      commands: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), z.string().min(1)).default({}),
      protected_paths: z.array(z.string().min(1)).default(defaultProtectedPaths),
      infrastructure_paths: z.array(z.string().min(1)).default(defaultInfrastructurePaths),
    })
    .default({
      registry: "https://registry.npmjs.org/",
      downloads: "https://api.npmjs.org/",
      registry_timeout: "10s",
      commands: {},
      protected_paths: defaultProtectedPaths,
      infrastructure_paths: defaultInfrastructurePaths,
    }),
  /** Who the CLI acts as: OS user name → principal name (e.g. `alice: user:alice`). */
  access: z
    .strictObject({
      os_users: z.record(z.string().min(1), z.string().min(1)).default({}),
    })
    .default({ os_users: {} }),
  audit: z
    .strictObject({
      /**
       * The Ed25519 key that signs audit checkpoints and provenance, relative to the home or
       * absolute. Keep it outside the home: a key beside the log it signs protects little.
       */
      signing_key: z.string().min(1).default(".factory/keys/audit-ed25519.pem"),
      /** A signed checkpoint of the chain's head every this many entries (and at each bolt's end). */
      checkpoint_every: z.number().int().positive().default(100),
    })
    .default({ signing_key: ".factory/keys/audit-ed25519.pem", checkpoint_every: 100 }),
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
    /** With defaults filled in for every level. */
    quorum: Record<"low" | "medium" | "high", Quorum>;
  };
  gates: {
    registry: string;
    downloads: string;
    registryTimeoutMs: number;
    commands: Record<string, string>;
    protectedPaths: string[];
    infrastructurePaths: string[];
  };
  access: { osUsers: Record<string, string> };
  /** `signingKey` is absolute. */
  audit: { signingKey: string; checkpointEvery: number };
  scenarios: FactoryConfigInput["scenarios"];
  /** Keyed by model name, as the agent config and the provider name it. */
  pricing: Record<string, ModelPrice>;
  secrets: { env: string[] };
}

/** The gates' settings when there is no factory.yaml (`factory gate check` outside a home). */
export const defaultGatesConfig: FactoryConfig["gates"] = {
  registry: "https://registry.npmjs.org/",
  downloads: "https://api.npmjs.org/",
  registryTimeoutMs: 10_000,
  commands: {},
  protectedPaths: defaultProtectedPaths,
  infrastructurePaths: defaultInfrastructurePaths,
};

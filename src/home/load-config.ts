/**
 * Reads `factory.yaml` in three steps, as changesets reads its config: parse (YAML and
 * schema), normalise (paths, durations), then rules that need the whole picture. Every
 * problem comes back located; nothing throws for bad content.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import {
  closestWord,
  type Diagnostic,
  InputError,
  type LocatedYaml,
  type Parsed,
  parseDuration,
  parseLocatedYaml,
  zodIssuesToDiagnostics,
} from "../common/index.js";
import { createRedactor } from "../governance/index.js";
import {
  approvalStages,
  type Budget,
  type FactoryConfig,
  type FactoryConfigInput,
  factoryConfigSchema,
} from "./config-schema.js";

export function readConfigText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError("config-unreadable", `cannot read ${file}: ${(error as Error).message}`, {
      hint: "run `factory init` to create a factory home, or pass --home <dir>",
    });
  }
}

export function loadConfig(file: string): Parsed<FactoryConfig> {
  return parseConfig(readConfigText(file), resolve(file));
}

export function parseConfig(text: string, file: string): Parsed<FactoryConfig> {
  const source = parseLocatedYaml(text, file);
  if (source.syntaxIssues.length > 0) return { ok: false, issues: source.syntaxIssues };
  const version = (source.value as { version?: unknown } | null)?.version;
  if (version !== 1) {
    return {
      ok: false,
      issues: [
        at(
          source,
          ["version"],
          "version",
          version === undefined
            ? "factory.yaml has no version"
            : `factory.yaml version ${JSON.stringify(version)} is not one this darkfactory reads`,
          "start the file with `version: 1`",
        ),
      ],
    };
  }
  const secrets = findSecrets(source);
  if (secrets.length > 0) return { ok: false, issues: secrets };
  const parsed = factoryConfigSchema.safeParse(source.value);
  if (!parsed.success)
    return {
      ok: false,
      issues: zodIssuesToDiagnostics(parsed.error.issues, source, factoryConfigSchema),
    };

  const issues: Diagnostic[] = [];
  const config = normalise(parsed.data, file, source, issues);
  issues.push(...checkRules(config, parsed.data, source));
  const errors = issues.filter((d) => d.severity === "error");
  return errors.length > 0 ? { ok: false, issues } : { ok: true, value: config, warnings: issues };
}

function normalise(
  input: FactoryConfigInput,
  file: string,
  source: LocatedYaml,
  issues: Diagnostic[],
): FactoryConfig {
  const budget = (b: FactoryConfigInput["budgets"]["bolt"], path: string[]): Budget => {
    const out: Budget = {};
    if (b.usd !== undefined) out.usd = b.usd;
    if (b.tokens !== undefined) out.tokens = b.tokens;
    if (b.steps !== undefined) out.steps = b.steps;
    if (b.wall_time !== undefined) {
      const ms = parseDuration(b.wall_time);
      if (ms === undefined || ms <= 0) {
        issues.push(
          at(
            source,
            [...path, "wall_time"],
            "budget-range",
            `wall_time "${b.wall_time}" is not a duration`,
            'write it as a number and a unit: "90s", "30m", "2h", "1d"',
          ),
        );
      } else out.wallTimeMs = ms;
    }
    return out;
  };
  const timeout = (text: string, path: string[]): number => {
    const ms = parseDuration(text);
    if (ms !== undefined && ms > 0) return ms;
    issues.push(
      at(
        source,
        path,
        "duration",
        `"${text}" is not a duration`,
        'write it as a number and a unit: "10s", "2m"',
      ),
    );
    return 10_000;
  };
  const home = dirname(file);
  return {
    version: 1,
    file,
    product: {
      repo: isAbsolute(input.product.repo) ? input.product.repo : resolve(home, input.product.repo),
      mainBranch: input.product.main_branch,
      commands: input.product.commands,
    },
    agents: input.agents,
    budgets: {
      bolt: budget(input.budgets.bolt, ["budgets", "bolt"]),
      task: budget(input.budgets.task, ["budgets", "task"]),
    },
    risk: {
      default: input.risk.default,
      approvals: input.risk.approvals,
      quorum: {
        low: input.risk.quorum.low ?? { count: 0, roles: ["approver"] },
        medium: input.risk.quorum.medium ?? { count: 1, roles: ["approver"] },
        high: input.risk.quorum.high ?? { count: 2, roles: ["approver"] },
      },
    },
    gates: {
      registry: input.gates.registry,
      downloads: input.gates.downloads,
      registryTimeoutMs: timeout(input.gates.registry_timeout, ["gates", "registry_timeout"]),
      commands: input.gates.commands,
      protectedPaths: input.gates.protected_paths,
      infrastructurePaths: input.gates.infrastructure_paths,
    },
    access: { osUsers: input.access.os_users },
    audit: {
      signingKey: isAbsolute(input.audit.signing_key)
        ? input.audit.signing_key
        : resolve(home, input.audit.signing_key),
      checkpointEvery: input.audit.checkpoint_every,
    },
    pricing: Object.fromEntries(
      Object.entries(input.pricing).map(([model, price]) => [
        model,
        { inputPerMTok: price.input_per_mtok, outputPerMTok: price.output_per_mtok },
      ]),
    ),
    secrets: input.secrets,
    scenarios: input.scenarios,
  };
}

function checkRules(
  config: FactoryConfig,
  input: FactoryConfigInput,
  source: LocatedYaml,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const repo = config.product.repo;
  if (!existsSync(repo) || !statSync(repo).isDirectory()) {
    out.push(
      at(
        source,
        ["product", "repo"],
        "product-repo-missing",
        `the product repository ${repo} does not exist yet`,
        "create it (git init) or point product.repo at your product's repository",
        "warning",
      ),
    );
  } else if (!existsSync(join(repo, ".git"))) {
    out.push(
      at(
        source,
        ["product", "repo"],
        "product-repo-not-git",
        `${repo} is not a git repository`,
        "run `git init` there, or point product.repo at a git repository",
        "warning",
      ),
    );
  }

  for (const key of ["usd", "tokens", "wallTimeMs", "steps"] as const) {
    const task = config.budgets.task[key];
    const bolt = config.budgets.bolt[key];
    if (task !== undefined && bolt !== undefined && task > bolt) {
      const field = key === "wallTimeMs" ? "wall_time" : key;
      out.push(
        at(
          source,
          ["budgets", "task", field],
          "budget-task-exceeds-bolt",
          `the task budget's ${field} is larger than the whole bolt's`,
          `lower budgets.task.${field} or raise budgets.bolt.${field}`,
        ),
      );
    }
  }

  for (const [level, stages] of Object.entries(input.risk.approvals)) {
    stages?.forEach((stage, i) => {
      if ((approvalStages as readonly string[]).includes(stage)) return;
      const suggestion = closestWord(stage, approvalStages);
      out.push(
        at(
          source,
          ["risk", "approvals", level, i],
          "unknown-stage",
          `"${stage}" is not a stage of the bolt`,
          suggestion ? `did you mean "${suggestion}"?` : `use one of: ${approvalStages.join(", ")}`,
        ),
      );
    });
  }

  return out;
}

/** A key pasted into factory.yaml would end up in git: refuse the file until it is moved out. */
function findSecrets(source: LocatedYaml): Diagnostic[] {
  const { redactText } = createRedactor();
  const out: Diagnostic[] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (typeof value === "string" && redactText(value) !== value) {
      out.push(
        at(
          source,
          path,
          "secret-in-config",
          `${path.join(".")} holds what looks like a secret`,
          "put it in an environment variable and name the variable here (e.g. api_key_env: OPENAI_API_KEY)",
        ),
      );
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, [...path, i]);
      });
    } else if (value !== null && typeof value === "object")
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(source.value, []);
  return out;
}

function at(
  source: LocatedYaml,
  path: (string | number)[],
  rule: string,
  message: string,
  hint: string,
  severity: Diagnostic["severity"] = "error",
): Diagnostic {
  return {
    rule,
    severity,
    message,
    file: source.file,
    ...source.locate(path),
    path: path.join("."),
    hint,
  };
}

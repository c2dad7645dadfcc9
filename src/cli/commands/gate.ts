import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../common/index.js";
import {
  checkChange,
  defaultPolicyPath,
  describeGateReport,
  type GateReport,
  homePolicies,
} from "../../gates/index.js";
import { authorize } from "../../governance/index.js";
import { defaultGatesConfig, findHome, type Home } from "../../home/index.js";
import { checkBoltGate } from "../../pipeline/index.js";
import { createSandbox, detectSandbox } from "../../workspace/index.js";
import { type CliContext, type CommandOutcome, withHome } from "../context.js";
import type { Register } from "../register.js";

export const registerGate: Register = (program, run) => {
  const gate = program.command("gate").description("policies as code over each change");
  gate
    .command("check")
    .description(
      "judge a change by the policies: a bolt's, or any two revisions of a repository; exit 0 allow, 1 deny, 3 approval required",
    )
    .option("--bolt <id>", "judge a bolt's change, as its gate did")
    .option("--base <rev>", "the revision the change starts from")
    .option("--head <rev>", "the revision the change ends at")
    .option("--repo <dir>", "the repository (default: the home's product, else this folder)")
    .option(
      "--policies <path>",
      "a policy file or folder (default: the home's policies/, else the shipped default policy)",
    )
    .option("--registry <url>", "the npm registry dependency facts come from")
    .option("--downloads <url>", "npm's download counts API")
    .option("--passed", "list the rules that passed too")
    .action((options: CheckOptions, command: Command) =>
      run(command, (context) => check(context, options)),
    );
};

interface CheckOptions {
  bolt?: string;
  base?: string;
  head?: string;
  repo?: string;
  policies?: string;
  registry?: string;
  downloads?: string;
  passed?: boolean;
}

const EXIT = { allow: 0, deny: 1, require_approval: 3 } as const;

async function check(context: CliContext, options: CheckOptions): Promise<CommandOutcome> {
  const revisions = options.base !== undefined || options.head !== undefined;
  if (options.bolt !== undefined && revisions)
    throw new InputError("gate-target", "name a bolt or two revisions, not both");
  if (options.bolt === undefined && (options.base === undefined || options.head === undefined))
    throw new InputError(
      "gate-target",
      "name the change: --bolt <id>, or --base <rev> --head <rev>",
      {
        hint: "e.g. `factory gate check --base main --head my-branch`",
      },
    );
  for (const [flag, url] of [
    ["--registry", options.registry],
    ["--downloads", options.downloads],
  ] as const)
    if (url !== undefined && !URL.canParse(url))
      throw new InputError("gate-url", `${flag} ${url} is not a URL`);
  const inHome = homeExists(context, options.bolt !== undefined);
  return inHome
    ? withHome(context, (home) => judge(context, options, home))
    : judge(context, options);
}

async function judge(
  context: CliContext,
  options: CheckOptions,
  home?: Home,
): Promise<CommandOutcome> {
  if (home)
    await authorize(
      home,
      context.actor,
      "gate.check",
      options.bolt ? `bolt:${options.bolt}` : "change",
    );
  const gates = {
    ...(home?.config.gates ?? defaultGatesConfig),
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.downloads ? { downloads: options.downloads } : {}),
  };
  const policies = options.policies
    ? policyPaths(resolve(context.cwd, options.policies))
    : home
      ? homePolicies(home.root)
      : [defaultPolicyPath];
  let report: GateReport;
  if (options.bolt !== undefined && home) {
    const withGates = { ...home, config: { ...home.config, gates } };
    report = await checkBoltGate(withGates, options.bolt, {
      sandbox: () => openSandbox(context),
      policies,
    });
  } else {
    const repo = options.repo
      ? resolve(context.cwd, options.repo)
      : (home?.config.product.repo ?? context.cwd);
    report = await checkChange({
      repo,
      base: options.base as string,
      head: options.head as string,
      gates,
      policies,
      architectureRules: home ? join(home.root, "policies", "architecture.json") : undefined,
    });
  }
  if (policies.length === 0)
    context.progress("note: no policies found, so nothing is denied; add policies/*.yaml");
  const lines = describeGateReport(report, { passed: options.passed ?? false });
  return {
    exitCode: EXIT[report.decision],
    json: report,
    text: [
      `${report.decision === "allow" ? "✓" : report.decision === "deny" ? "✗" : "?"} ${report.decision}: ${report.base.slice(0, 12)}..${report.head.slice(0, 12)}, ${report.facts.change.files.length} files, ${report.rules.length} rules`,
      ...lines.map((line) => `  ${line}`),
    ].join("\n"),
  };
}

/** Outside a home, `gate check` still judges two revisions, by the shipped default policy. */
function homeExists(context: CliContext, required: boolean): boolean {
  if (required || context.homeOption !== undefined) return true;
  try {
    findHome({ explicit: undefined, cwd: context.cwd });
    return true;
  } catch {
    return false;
  }
}

function policyPaths(path: string): string[] {
  if (!existsSync(path))
    throw new InputError("policy-missing", `${path} does not exist`, {
      hint: "name a policy file (*.yaml) or a folder of them",
    });
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(path, name));
}

async function openSandbox(context: CliContext) {
  const bwrap = context.env.FACTORY_BWRAP ? { bwrapPath: context.env.FACTORY_BWRAP } : {};
  const detection = await detectSandbox(bwrap);
  if (detection.mode !== "bwrap") context.progress(`⚠ sandbox: ${detection.reason}`);
  return createSandbox(bwrap);
}

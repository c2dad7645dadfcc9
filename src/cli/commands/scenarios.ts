import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { countBySeverity, formatDiagnostic, InputError } from "../../common/index.js";
import { authorize } from "../../governance/index.js";
import { findHome } from "../../home/index.js";
import { lintIntentFile } from "../../intent/index.js";
import { boltIntegrationPath, rubricJudgeFor } from "../../pipeline/index.js";
import { lintScenarioFiles, runHomeScenarios, scenarioFiles } from "../../scenarios/index.js";
import { availableTwins } from "../../twins/index.js";
import { createSandbox, detectSandbox } from "../../workspace/index.js";
import { type CliContext, type CommandOutcome, withHome } from "../context.js";
import { formatSatisfaction } from "../format-satisfaction.js";
import type { Register } from "../register.js";

export const registerScenarios: Register = (program, run) => {
  const scenarios = program
    .command("scenarios")
    .description("holdout scenarios: end-to-end trajectories the builders never see");
  scenarios
    .command("lint")
    .description("check scenario files: the schema, twins, variables, ids and requirement ids")
    .argument(
      "[paths...]",
      "scenario files or folders of them (*.yaml); default: the home's scenarios/",
    )
    .action((paths: string[], _options: unknown, command: Command) =>
      run(command, (context) => lint(context, paths)),
    );
  scenarios
    .command("run")
    .description(
      "run the scenarios against a product, many seeded times each, and report satisfaction",
    )
    .argument("[paths...]", "scenario files or folders; default: the home's scenarios/")
    .option("--worktree <path>", "the product's folder to build, start and test")
    .option("--bolt <id>", "test a bolt's integration branch (its worktree)")
    .option("--repeat <n>", "trajectories per scenario and fault profile (factory.yaml: 3)")
    .option("--parallel <n>", "trajectories, or reused-product lanes, at once (factory.yaml: 2)")
    .option("--isolation <mode>", "fresh (a product per trajectory) or reused (factory.yaml)")
    .option("--seed <seed>", "the seed every trajectory's seed derives from", "darkfactory")
    .option(
      "--trajectories <file>",
      "write every trajectory (steps, observations, timings) as JSON",
    )
    .action((paths: string[], options: RunOptions, command: Command) =>
      run(command, (context) => runCommand(context, paths, options)),
    );
};

interface RunOptions {
  worktree?: string;
  bolt?: string;
  repeat?: string;
  parallel?: string;
  isolation?: string;
  seed: string;
  trajectories?: string;
}

async function runCommand(
  context: CliContext,
  paths: string[],
  options: RunOptions,
): Promise<CommandOutcome> {
  if ((options.worktree === undefined) === (options.bolt === undefined))
    throw new InputError(
      "scenarios-target",
      "name what to test: --worktree <path> or --bolt <id>",
      {
        hint: "e.g. `factory scenarios run --worktree ../product`",
      },
    );
  const repeat = count(options.repeat, "--repeat", 10_000);
  const parallel = count(options.parallel, "--parallel", 64);
  if (options.isolation !== undefined && !["fresh", "reused"].includes(options.isolation))
    throw new InputError("scenarios-isolation", `--isolation ${options.isolation} is not a mode`, {
      hint: "fresh (a product process per trajectory) or reused (one per lane, fresh twins)",
    });
  return withHome(context, async (home) => {
    await authorize(
      home,
      context.actor,
      "scenarios.run",
      options.bolt ? `bolt:${options.bolt}` : "scenarios",
    );
    const worktree = options.bolt
      ? boltIntegrationPath(home, options.bolt)
      : resolve(context.cwd, options.worktree as string);
    if (!existsSync(worktree) || !statSync(worktree).isDirectory())
      throw new InputError("worktree-not-found", `no product folder at ${worktree}`, {
        hint: options.bolt
          ? "the bolt has no integration worktree (yet, or any more after `factory gc`)"
          : "give the folder of the product's checkout",
      });
    const bwrap = context.env.FACTORY_BWRAP ? { bwrapPath: context.env.FACTORY_BWRAP } : {};
    const detection = await detectSandbox(bwrap);
    if (detection.mode !== "bwrap") context.progress(`⚠ sandbox: ${detection.reason}`);
    const { report, trajectories } = await runHomeScenarios(home, {
      worktree,
      sandbox: await createSandbox(bwrap),
      ...(paths.length ? { paths: paths.map((p) => resolve(context.cwd, p)) } : {}),
      ...(repeat ? { repeat } : {}),
      ...(parallel ? { parallel } : {}),
      ...(options.isolation ? { isolation: options.isolation as "fresh" | "reused" } : {}),
      seed: options.seed,
      // Rubrics are judged by factory.yaml's evaluator, when it names one.
      ...judge(rubricJudgeFor(home, { env: context.env, boltId: options.bolt ?? "worktree" })),
      onTrajectory: (t) =>
        context.progress(
          `  ${t.verdict === "satisfied" ? "✓" : "✗"} ${t.scenario} #${t.index} (${t.faults}) ${t.ms} ms${t.failure ? `: ${t.failure.kind}: ${t.failure.message}` : ""}`,
        ),
    });
    if (options.trajectories) {
      const file = resolve(context.cwd, options.trajectories);
      writeFileSync(file, `${JSON.stringify(trajectories, null, 2)}\n`);
      context.progress(`▸ ${trajectories.length} trajectories written to ${file}`);
    }
    // The table is for people, on stderr; stdout carries the --json document or nothing more.
    context.progress(formatSatisfaction(report));
    return {
      exitCode: report.passed ? 0 : 1,
      json: report,
      text: "",
    };
  });
}

const judge = <T>(value: T | undefined) => (value ? { judge: value } : {});

function count(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new InputError("bad-count", `${flag} ${value} is not a whole number from 1 to ${max}`);
  return n;
}

async function lint(context: CliContext, paths: string[]): Promise<CommandOutcome> {
  const home = homeOf(context);
  const targets = paths.length
    ? paths.map((p) => resolve(context.cwd, p))
    : home
      ? [join(home, "scenarios")]
      : [];
  if (targets.length === 0)
    throw new InputError(
      "no-scenarios-given",
      "name scenario files, or run this in a factory home",
      {
        hint: "e.g. `factory scenarios lint scenarios/`",
      },
    );
  const files = scenarioFiles(targets);
  const requirements = home ? await intentRequirements(join(home, "intents")) : undefined;
  const results = lintScenarioFiles(files, {
    twins: [...(await availableTwins(home)).keys()],
    ...(requirements ? { requirements } : {}),
  });
  const shown = (file: string) => {
    const rel = relative(context.cwd, file);
    return rel && !rel.startsWith("..") ? rel : file;
  };
  const all = results.flatMap((r) => r.diagnostics);
  const { errors, warnings } = countBySeverity(all);
  const lines = all.map((d) => formatDiagnostic({ ...d, file: shown(d.file) }));
  const summary = `${errors ? "✗" : "✓"} ${files.length} scenario${files.length === 1 ? "" : "s"}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  return {
    exitCode: errors ? 2 : 0,
    json: {
      ok: errors === 0,
      errors,
      warnings,
      files: results.map((r) => ({
        file: shown(r.file),
        id: r.scenario?.id ?? null,
        requirements: r.scenario?.requirements ?? [],
        diagnostics: r.diagnostics.map((d) => ({ ...d, file: shown(d.file) })),
      })),
    },
    text: [...lines, summary].join("\n"),
  };
}

/** Every requirement id the home's intents declare; intents with errors count for what they have. */
async function intentRequirements(folder: string): Promise<Set<string> | undefined> {
  if (!existsSync(folder)) return undefined;
  const ids = new Set<string>();
  for (const name of readdirSync(folder).filter((n) => n.endsWith(".md"))) {
    const result = await lintIntentFile(join(folder, name));
    for (const requirement of result.intent?.requirements ?? []) ids.add(requirement.id);
  }
  return ids;
}

function homeOf(context: CliContext): string | undefined {
  try {
    return findHome({ explicit: context.homeOption, cwd: context.cwd });
  } catch {
    return undefined;
  }
}

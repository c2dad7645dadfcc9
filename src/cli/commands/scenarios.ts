import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { countBySeverity, formatDiagnostic, InputError } from "../../common/index.js";
import { findHome } from "../../home/index.js";
import { lintIntentFile } from "../../intent/index.js";
import { lintScenarioFiles } from "../../scenarios/index.js";
import { availableTwins } from "../../twins/index.js";
import type { CliContext, CommandOutcome } from "../context.js";
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
};

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
  const files = targets.flatMap(expand);
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

function expand(path: string): string[] {
  if (!existsSync(path))
    throw new InputError("scenario-not-found", `no scenario file or folder at ${path}`, {
      hint: "scenarios live in the home's scenarios/ as *.yaml",
    });
  if (!statSync(path).isDirectory()) return [path];
  const found = readdirSync(path)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(path, name));
  if (found.length === 0)
    throw new InputError("no-scenarios", `${path} holds no scenario files (*.yaml)`, {
      hint: "write one per user trajectory; see the README's Scenarios section",
    });
  return found;
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

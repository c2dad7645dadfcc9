import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { countBySeverity, formatDiagnostic, InputError } from "../../common/index.js";
import { findHome, openHome } from "../../home/index.js";
import { type IntentLintResult, lintIntentFile } from "../../intent/index.js";
import type { CliContext, CommandOutcome } from "../context.js";
import type { Register } from "../register.js";

export const registerIntent: Register = (program, run) => {
  const intent = program.command("intent").description("work with intent files");
  intent
    .command("lint")
    .description("check intents for errors and ambiguity before any agent runs")
    .argument("<paths...>", "intent files, or folders of them (*.md)")
    .option("--strict", "treat warnings as errors")
    .action((paths: string[], options: { strict?: boolean }, command: Command) =>
      run(command, (context) => lint(context, paths, options.strict ?? false)),
    );
};

async function lint(
  context: CliContext,
  paths: string[],
  strict: boolean,
): Promise<CommandOutcome> {
  const files = paths.flatMap((p) => expand(resolve(context.cwd, p)));
  const results: IntentLintResult[] = [];
  for (const file of files) results.push(await lintIntentFile(file));
  const shown = (file: string) => {
    const rel = relative(context.cwd, file);
    return rel && !rel.startsWith("..") ? rel : file;
  };
  const all = results.flatMap((r) => r.diagnostics);
  const { errors, warnings } = countBySeverity(all);
  const failed = errors > 0 || (strict && warnings > 0);
  await recordLint(context, results);

  const lines = results.flatMap((r) =>
    r.diagnostics.map((d) => formatDiagnostic({ ...d, file: shown(d.file) })),
  );
  const summary = `${failed ? "✗" : "✓"} ${files.length} intent${files.length === 1 ? "" : "s"}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  return {
    exitCode: failed ? 2 : 0,
    json: {
      ok: !failed,
      errors,
      warnings,
      files: results.map((r) => ({
        file: shown(r.file),
        id: r.intent?.id ?? null,
        ...countBySeverity(r.diagnostics),
        diagnostics: r.diagnostics.map((d) => ({ ...d, file: shown(d.file) })),
      })),
    },
    text: [...lines, summary].join("\n"),
  };
}

function expand(path: string): string[] {
  if (existsSync(path) && statSync(path).isDirectory()) {
    const found = readdirSync(path)
      .filter((name) => name.endsWith(".md"))
      .sort()
      .map((name) => join(path, name));
    if (found.length === 0)
      throw new InputError("no-intents", `${path} holds no intent files (*.md)`, {
        hint: "pass an intent file or a folder of them",
      });
    return found;
  }
  return [path];
}

/** Inside a factory home, a lint is evidence that the intent was checked before agents ran; outside one there is no log to write to. */
async function recordLint(context: CliContext, results: IntentLintResult[]): Promise<void> {
  let root: string;
  try {
    root = findHome({ explicit: context.homeOption, cwd: context.cwd });
  } catch {
    if (context.homeOption !== undefined)
      throw new InputError("home-not-found", `no factory home at ${context.homeOption}`);
    return;
  }
  const home = openHome(root, { env: context.env });
  try {
    await home.audit.appendMany(
      results.map((r) => ({
        actor: context.actor,
        action: "intent.lint",
        subject: `intent:${r.intent?.id ?? relative(root, r.file)}`,
        data: { file: relative(root, r.file), ...countBySeverity(r.diagnostics) },
      })),
    );
  } finally {
    await home.close();
  }
}

/**
 * The CLI's one shell: builds the program, runs the command, prints its outcome, and maps
 * every error to an exit code (DESIGN §11) with one clear message and no stack trace.
 */
import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { type Diagnostic, formatDiagnostic, isFactoryError } from "../common/index.js";
import { registerAccess } from "./commands/access.js";
import { registerAudit } from "./commands/audit.js";
import { registerBolt } from "./commands/bolt.js";
import { registerDemo } from "./commands/demo.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerGate } from "./commands/gate.js";
import { registerInit } from "./commands/init.js";
import { registerIntent } from "./commands/intent.js";
import { registerLogs } from "./commands/logs.js";
import { registerPipeline } from "./commands/pipeline.js";
import { registerScenarios } from "./commands/scenarios.js";
import { registerTwin } from "./commands/twin.js";
import { type CliIo, type CommandOutcome, createContext } from "./context.js";
import { printable } from "./printable.js";
import type { RunCommand } from "./register.js";

const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const wantsJson = argv.includes("--json");
  const wantsDebug = argv.includes("--debug");
  let exitCode = 0;

  const run: RunCommand = async (command, fn) => {
    const options = command.optsWithGlobals<{ json?: boolean; debug?: boolean; home?: string }>();
    const outcome = await fn(createContext(io, options));
    print(io, wantsJson, outcome);
    exitCode = outcome.exitCode;
  };

  const program = new Command("factory")
    .description("darkfactory: humans write intent, agents build, the factory judges with evidence")
    .version(version, "-V, --version", "print the version")
    .option(
      "--home <dir>",
      "the factory home (default: FACTORY_HOME, or the nearest folder with a factory.yaml)",
    )
    .option("--json", "print one JSON document on stdout and nothing else there")
    .option("--debug", "show stack traces of errors")
    .showHelpAfterError("(run `factory --help` for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  for (const register of [
    registerInit,
    registerIntent,
    registerPipeline,
    registerBolt,
    registerLogs,
    registerAudit,
    registerGate,
    registerDemo,
    registerDoctor,
    registerTwin,
    registerScenarios,
    registerAccess,
  ])
    register(program, run);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return reportError(io, error, wantsJson, wantsDebug);
  }
}

function print(io: CliIo, json: boolean, outcome: CommandOutcome): void {
  // A command that printed as it went (a server's ready line) has nothing left to say.
  if (outcome.json === undefined && !outcome.text) return;
  if (json) io.stdout.write(`${JSON.stringify(outcome.json, null, 2)}\n`);
  else if (outcome.text) io.stdout.write(`${printable(outcome.text)}\n`);
}

function reportError(io: CliIo, error: unknown, json: boolean, debug: boolean): number {
  if (error instanceof CommanderError) {
    if (
      error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.exitCode === 0
    )
      return 0;
    if (json)
      io.stdout.write(
        `${JSON.stringify({ ok: false, error: { code: "usage", message: error.message.replace(/^error: /, "") } })}\n`,
      );
    return 2;
  }
  if (isFactoryError(error)) {
    const diagnostics = (error as { diagnostics?: Diagnostic[] }).diagnostics ?? [];
    if (json) {
      const body = {
        code: error.code,
        message: error.message,
        hint: error.hint ?? null,
        ...(diagnostics.length ? { diagnostics } : {}),
      };
      io.stdout.write(`${JSON.stringify({ ok: false, error: body }, null, 2)}\n`);
    }
    for (const d of diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
    io.stderr.write(`error: ${error.message}\n`);
    if (error.hint) io.stderr.write(`hint: ${error.hint}\n`);
    if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (json)
    io.stdout.write(`${JSON.stringify({ ok: false, error: { code: "internal", message } })}\n`);
  io.stderr.write(`internal error: ${message}\n`);
  io.stderr.write(
    debug && error instanceof Error && error.stack
      ? `${error.stack}\n`
      : "run again with --debug for the stack trace, and please report it\n",
  );
  return 1;
}

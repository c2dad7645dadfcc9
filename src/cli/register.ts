import type { Command } from "commander";
import type { CliContext, CommandOutcome } from "./context.js";

/** Runs a command's core call with a context built from the global options, then prints its outcome. */
export type RunCommand = (
  command: Command,
  fn: (context: CliContext) => Promise<CommandOutcome>,
) => Promise<void>;

/** Each file under commands/ exports one of these: it declares its commands on the program. */
export type Register = (program: Command, run: RunCommand) => void;

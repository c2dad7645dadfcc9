/**
 * Static analysis facts: the product's own type-check and lint commands (`gates.commands` in
 * factory.yaml), run in the sandbox on the change's worktree as the test stage runs its tests.
 */
import type { Sandbox } from "../../workspace/index.js";
import type { AnalysisFacts, CommandCheck } from "../facts/change-facts.js";

export interface RunAnalysisOptions {
  /** The sandbox the pipeline runs products' commands in: the command is confined by it. */
  sandbox: Sandbox;
  /** Per command. Default ten minutes, as the test stage. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Removes secrets from a command's output before it becomes a fact (the home's redactor). */
  redact?: (text: string) => string;
  /** How much of the end of each command's output to keep. Default 2 000 characters. */
  outputChars?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_OUTPUT_CHARS = 2_000;

/**
 * Runs each command in turn in the sandbox, in `worktree`. A command passes when it exits 0;
 * one that fails, times out or is killed is a failed check with the end of its output, never
 * an exception. No commands: `present: false`.
 */
export async function runAnalysis(
  worktree: string,
  commands: Readonly<Record<string, string>>,
  options: RunAnalysisOptions,
): Promise<AnalysisFacts> {
  const entries = Object.entries(commands);
  if (entries.length === 0) return { present: false, passed: true, checks: [] };
  const keep = options.outputChars ?? DEFAULT_OUTPUT_CHARS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const checks: CommandCheck[] = [];
  // One after another: a type-check and a linter both want the machine, and may write caches.
  for (const [name, command] of entries) {
    const result = await options.sandbox.run({
      command,
      worktree,
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let output = `${result.stdout}${result.stderr}`;
    if (result.timedOut) output += `\n[timed out after ${timeoutMs} ms]`;
    else if (result.exitCode === null) output += `\n[killed by ${result.signal ?? "a signal"}]`;
    const redacted = options.redact ? options.redact(output) : output;
    checks.push({
      name,
      command,
      passed: result.exitCode === 0 && !result.timedOut,
      // A run killed by a signal has no exit status; -1 keeps the fact an int.
      exit_code: result.exitCode ?? -1,
      output: redacted.length > keep ? redacted.slice(-keep) : redacted,
    });
  }
  return { present: true, passed: checks.every((c) => c.passed), checks };
}

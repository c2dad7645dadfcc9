/**
 * Decides whether a CLI run finished. Its exit code proves nothing on its own: CLIs exit 0
 * after an API error and non-zero after a success, so a run counts as finished only when the
 * tool's closing event says success, no error event came, and the process then exited cleanly.
 */
import type { SandboxResult } from "../../workspace/index.js";
import type { CliAdapter } from "./cli-adapter.js";
import { clip, type StreamState } from "./stream-state.js";

/** Why a run ended, in a word the journal can count. */
export type CliStop =
  | "finished"
  | "over-budget"
  | "aborted"
  | "timeout"
  | "not-found"
  | "error-event"
  | "no-final-event"
  | "reported-failure"
  | "exit-after-success"
  | "exit-code";

export interface RunVerdict {
  status: "finished" | "gave_up";
  stop: CliStop;
  summary: string;
}

export interface RunFacts {
  adapter: CliAdapter;
  binary: string;
  state: StreamState;
  result: SandboxResult;
  /** Set when we killed the run at a budget: what passed which limit. */
  overBudget: string | undefined;
  /** The caller's signal was aborted. */
  aborted: boolean;
  timeoutMs: number;
  /** The end of the tool's stderr, to show when it stopped without saying why. */
  stderrTail: string;
}

export function judgeRun(facts: RunFacts): RunVerdict {
  const { adapter, state, result } = facts;
  const tool = adapter.command;
  const gaveUp = (stop: CliStop, summary: string): RunVerdict => ({
    status: "gave_up",
    stop,
    summary,
  });
  if (facts.overBudget)
    return gaveUp("over-budget", `${tool} went over budget (${facts.overBudget}); killed it`);
  if (facts.aborted) return gaveUp("aborted", `${tool} was stopped by the orchestrator`);
  if (result.timedOut)
    return gaveUp(
      "timeout",
      `${tool} was killed at the timeout, after ${Math.round(facts.timeoutMs / 1000)} s`,
    );
  if (result.exitCode === 127 && state.events === 0)
    return gaveUp(
      "not-found",
      `${facts.binary} was not found inside the sandbox (exit 127): install ${tool} under ` +
        "/usr or /usr/local, or point the driver's binary at a path the sandbox mounts",
    );
  const said = state.errors[0];
  if (said !== undefined) {
    const more = state.errors.length > 1 ? ` (and ${state.errors.length - 1} more)` : "";
    return gaveUp("error-event", `${tool} reported an error: ${said}${more}`);
  }
  if (!adapter.reportsOutcome) {
    if (result.exitCode !== 0) return gaveUp("exit-code", `${tool} ${ended(result)}${tail(facts)}`);
    return finished(state.lastText || `${tool} ended without an error`);
  }
  if (!state.final)
    return gaveUp("no-final-event", `${tool} ${ended(result)} with no final event${tail(facts)}`);
  if (!state.final.ok)
    return gaveUp("reported-failure", `${tool} reported failure: ${state.final.summary}`);
  if (result.exitCode !== 0)
    return gaveUp(
      "exit-after-success",
      `${tool} reported success, then ${ended(result)}: a non-zero exit after success`,
    );
  return finished(state.final.summary || state.lastText || `${tool} reported success`);
}

function finished(summary: string): RunVerdict {
  return { status: "finished", stop: "finished", summary };
}

function ended(result: SandboxResult): string {
  return result.exitCode === null
    ? `was killed by ${result.signal ?? "a signal"}`
    : `exited with code ${result.exitCode}`;
}

function tail(facts: RunFacts): string {
  const text = facts.stderrTail.trim();
  return text ? `; its stderr ends: ${clip(text.slice(-400), 400)}` : "";
}

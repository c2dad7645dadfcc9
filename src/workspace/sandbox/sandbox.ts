/**
 * The contract for running an agent's shell command against a worktree (DESIGN §5):
 * only the worktree is writable, the environment is an allow-list, and every run is
 * bounded in time, output, processes and file size.
 */

import type { Bridge } from "./bridge.js";

/** One command to run. Everything except `command` and `worktree` has a safe default. */
export interface SandboxRun {
  /** Run with `/bin/sh -c` inside the sandbox. */
  command: string;
  /** Absolute path of the git worktree: the only place the command may write. */
  worktree: string;
  /** Working directory, absolute or relative to the worktree; anything outside it is refused. Default: the worktree. */
  cwd?: string;
  /**
   * Extra variables, laid over the base allow-list (PATH, HOME, LANG, LC_ALL, TZ, TERM).
   * Nothing else of the factory's environment reaches the command, so its secrets stay out.
   */
  env?: Record<string, string>;
  /** Wall-clock limit; the whole process tree is killed when it passes. Default 120 000. */
  timeoutMs?: number;
  /** Per stream; output past it is dropped and `outputTruncated` set. Default 1 MiB. */
  maxOutputBytes?: number;
  /** RLIMIT_NPROC for the command's user; forks past it fail. Default 256. */
  maxProcesses?: number;
  /** RLIMIT_FSIZE; a write past it fails with SIGXFSZ. Default 256 MiB. */
  maxFileSizeBytes?: number;
  /** Aborting kills the whole process tree; the run still resolves with what was captured. */
  signal?: AbortSignal;
  /**
   * Called with each piece of output as it arrives (UTF-8 decoded, never splitting a
   * character), so a caller can follow an event stream live and abort at a budget. It sees
   * everything, also what passes `maxOutputBytes` and is dropped from the result. It must not
   * throw: if it does, the process tree is killed and the run rejects with that error.
   */
  onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
  /**
   * Keep the host's network (bwrap only; the process sandbox always has it). For the
   * factory's own install step, which fetches packages; never for an agent's command.
   */
  network?: boolean;
  /**
   * Services the command may reach without a network (bwrap only): each target listens on
   * 127.0.0.1:<port> inside the sandbox, forwarded through the bridge's Unix sockets, and
   * the command starts once they listen. The process sandbox ignores it: its command has
   * the host's network, so it must be given the targets' own URLs (see bridgeUrls).
   */
  bridge?: Bridge;
}

/** What a run did. A command that fails is a result with its exit code, never an exception. */
export interface SandboxResult {
  /** The command's exit status, or null when it was killed by a signal. */
  exitCode: number | null;
  /** The signal that ended it (`SIGKILL` after a timeout or an abort), or null. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when the run was killed because it passed `timeoutMs`. */
  timedOut: boolean;
  /** True when either stream passed `maxOutputBytes` and the rest was dropped. */
  outputTruncated: boolean;
  /** Wall-clock duration in milliseconds. */
  ms: number;
}

/**
 * Runs agents' commands. `bwrap` isolates the file system, processes, network and user
 * through Linux namespaces; `process` is the weaker fallback (a confined child process with
 * a scrubbed environment and the same limits), used only when bwrap is unusable.
 */
export interface Sandbox {
  readonly mode: "bwrap" | "process";
  run(run: SandboxRun): Promise<SandboxResult>;
}

export const SANDBOX_DEFAULTS = {
  timeoutMs: 120_000,
  maxOutputBytes: 1024 * 1024,
  maxProcesses: 256,
  maxFileSizeBytes: 256 * 1024 * 1024,
} as const;

/** Checks a run's paths and limits and builds its environment, before any sandbox starts it. */
import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { InputError, WorkError } from "../../common/index.js";
import type { Bridge } from "./bridge.js";
import { SANDBOX_DEFAULTS, type SandboxRun } from "./sandbox.js";

/** A run with real paths and every default filled in. */
export interface PreparedRun {
  command: string;
  /** The worktree's real path (symlinks resolved). */
  worktree: string;
  /** A real path inside `worktree`. */
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  maxProcesses: number;
  maxFileSizeBytes: number;
  signal: AbortSignal | undefined;
  onOutput: SandboxRun["onOutput"];
  network: boolean;
  bridge: Bridge | undefined;
}

export const SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";

/** Taken from the factory's environment when set; everything else of it stays out. */
const INHERITED = ["LANG", "LC_ALL", "TZ", "TERM"] as const;

/** `home` is the HOME the command gets, chosen by the sandbox from the real worktree path. */
export async function prepareRun(
  run: SandboxRun,
  home: (worktree: string) => string,
): Promise<PreparedRun> {
  if (run.command.includes("\0"))
    throw new InputError("sandbox-command-invalid", "The command contains a NUL byte.");
  if (run.bridge && run.network)
    throw new InputError(
      "sandbox-bridge-with-network",
      "A run cannot have both a bridge and the network.",
      {
        hint: "drop `network`: the bridge is how a networkless run reaches its services.",
      },
    );
  const worktree = await realWorktree(run.worktree);
  const cwd = await realCwd(worktree, run.cwd);
  return {
    command: run.command,
    worktree,
    cwd,
    env: { ...baseEnv(home(worktree)), ...checkedEnv(run.env ?? {}) },
    timeoutMs: positive("timeoutMs", run.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs),
    maxOutputBytes: positive(
      "maxOutputBytes",
      run.maxOutputBytes ?? SANDBOX_DEFAULTS.maxOutputBytes,
    ),
    maxProcesses: positive("maxProcesses", run.maxProcesses ?? SANDBOX_DEFAULTS.maxProcesses),
    maxFileSizeBytes: positive(
      "maxFileSizeBytes",
      run.maxFileSizeBytes ?? SANDBOX_DEFAULTS.maxFileSizeBytes,
    ),
    signal: run.signal,
    onOutput: run.onOutput,
    network: run.network ?? false,
    bridge: run.bridge,
  };
}

async function realWorktree(worktree: string): Promise<string> {
  if (!isAbsolute(worktree))
    throw new InputError("sandbox-worktree-relative", `The worktree must be absolute: ${worktree}`);
  const info = await stat(worktree).catch(() => undefined);
  if (!info?.isDirectory())
    throw new WorkError("sandbox-worktree-missing", `The worktree is not a folder: ${worktree}`);
  const real = await realpath(worktree);
  if (real === "/")
    throw new InputError("sandbox-worktree-root", "The worktree cannot be the root folder.");
  return real;
}

async function realCwd(worktree: string, cwd: string | undefined): Promise<string> {
  if (cwd === undefined) return worktree;
  const outside = () =>
    new InputError("sandbox-cwd-outside", `The working folder is outside the worktree: ${cwd}`, {
      hint: `Use a folder inside ${worktree}.`,
    });
  if (!isInside(worktree, resolve(worktree, cwd))) throw outside();
  const real = await realpath(resolve(worktree, cwd)).catch(() => undefined);
  if (real === undefined)
    throw new InputError("sandbox-cwd-missing", `The working folder does not exist: ${cwd}`);
  // Checked again once resolved: a symlink inside the worktree may point out of it.
  if (!isInside(worktree, real)) throw outside();
  if (!(await stat(real)).isDirectory())
    throw new InputError("sandbox-cwd-missing", `The working folder is not a folder: ${cwd}`);
  return real;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function baseEnv(home: string): Record<string, string> {
  const env: Record<string, string> = { PATH: SANDBOX_PATH, HOME: home, LANG: "C.UTF-8" };
  for (const name of INHERITED) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function checkedEnv(env: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(env))
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || value.includes("\0"))
      throw new InputError("sandbox-env-invalid", `Not a usable environment variable: ${name}`);
  return env;
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new InputError("sandbox-limit-invalid", `${name} must be a positive whole number.`);
  return value;
}

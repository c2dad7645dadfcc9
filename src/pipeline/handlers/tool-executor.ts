/**
 * How tool nodes run commands. The workspace issue plugs its sandbox in behind this contract;
 * until then the local executor runs `sh -c` with a timeout, an output cap and an environment
 * built from an allow-list, never the factory's own secrets.
 */
import { spawn } from "node:child_process";

export interface ToolRun {
  command: string;
  cwd: string;
  /** The whole environment the command sees. */
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface ToolResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export interface ToolExecutor {
  readonly name: string;
  run(run: ToolRun): Promise<ToolResult>;
}

const MAX_OUTPUT = 1024 * 1024;

export function createLocalExecutor(): ToolExecutor {
  return {
    name: "local",
    run: (run) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn("/bin/sh", ["-c", run.command], {
          cwd: run.cwd,
          env: run.env,
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let size = 0;
        const collect = (into: Buffer[]) => (chunk: Buffer) => {
          if (size < MAX_OUTPUT) into.push(chunk.subarray(0, MAX_OUTPUT - size));
          size += chunk.length;
        };
        child.stdout.on("data", collect(out));
        child.stderr.on("data", collect(err));
        let timedOut = false;
        // The whole process group, so a command's children die with it.
        const kill = () => {
          try {
            if (child.pid) process.kill(-child.pid, "SIGKILL");
          } catch {
            // already gone
          }
        };
        const timer = setTimeout(() => {
          timedOut = true;
          kill();
        }, run.timeoutMs);
        run.signal.addEventListener("abort", kill, { once: true });
        const done = (exitCode: number | null, extra = "") => {
          clearTimeout(timer);
          run.signal.removeEventListener("abort", kill);
          resolve({
            exitCode,
            stdout: Buffer.concat(out).toString("utf8"),
            stderr: Buffer.concat(err).toString("utf8") + extra,
            timedOut,
            ms: Date.now() - started,
          });
        };
        child.on("error", (error) => done(null, error.message));
        child.on("close", (code) => done(code));
      }),
  };
}

/** The variables a tool command may see from the factory's own environment. */
export const toolEnvAllowList = [
  "PATH",
  "HOME",
  "LANG",
  "LC_ALL",
  "TZ",
  "TMPDIR",
  "TERM",
  "USER",
  "SHELL",
] as const;

export function toolEnvironment(
  parent: NodeJS.ProcessEnv,
  extra: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of toolEnvAllowList) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

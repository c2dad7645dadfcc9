/** Spawns one child in its own process group and bounds it in time and output. */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { StringDecoder } from "node:string_decoder";
import { WorkError } from "../../common/index.js";
import type { SandboxResult, SandboxRun } from "./sandbox.js";

export interface LimitedSpawn {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** Drop to this user (the factory must be root). */
  user: { uid: number; gid: number } | undefined;
  timeoutMs: number;
  maxOutputBytes: number;
  signal: AbortSignal | undefined;
  onOutput?: SandboxRun["onOutput"];
}

/** How long the streams may stay open after the child exits before the group is killed. */
const LINGER_MS = 500;

/**
 * Resolves with the result once the child has exited and its output is closed. On timeout or
 * abort the whole process group gets SIGKILL; after a normal exit, so does anything the
 * command left running in the background, so no run leaves processes behind. Rejects only
 * when the child cannot be started at all (a missing binary): that is the factory's problem,
 * not the command's; or when `onOutput` throws, a bug in the caller, after killing the group.
 */
export function runLimited(options: LimitedSpawn): Promise<SandboxResult> {
  const started = performance.now();
  const [file, ...args] = options.argv;
  if (file === undefined) throw new WorkError("sandbox-argv-empty", "Nothing to run.");
  if (options.signal?.aborted) return Promise.resolve(aborted(started));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      ...options.user,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout = new CappedText(options.maxOutputBytes);
    const stderr = new CappedText(options.maxOutputBytes);
    let timedOut = false;
    let exit: { code: number | null; signal: string | null } | undefined;
    let done = false;
    let listenerError: unknown;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is already gone.
      }
    };
    const onAbort = () => killGroup();
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    let linger: NodeJS.Timeout | undefined;
    const cleanup = () => {
      done = true;
      clearTimeout(timer);
      clearTimeout(linger);
      options.signal?.removeEventListener("abort", onAbort);
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const follow = (stream: "stdout" | "stderr", capped: CappedText) => {
      const decoder = new StringDecoder("utf8");
      const tell = (text: string) => {
        if (!options.onOutput || text === "" || listenerError !== undefined) return;
        try {
          options.onOutput(stream, text);
        } catch (error) {
          // Thrown from a stream handler it would crash the factory; fail this run instead.
          listenerError = error;
          killGroup();
        }
      };
      child[stream].on("data", (chunk: Buffer) => {
        capped.push(chunk);
        if (options.onOutput) tell(decoder.write(chunk));
      });
      child[stream].on("end", () => {
        if (options.onOutput) tell(decoder.end());
      });
    };
    follow("stdout", stdout);
    follow("stderr", stderr);
    child.on("error", (error) => {
      if (done) return;
      cleanup();
      killGroup();
      reject(
        new WorkError("sandbox-spawn-failed", `Could not start ${file}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    const finish = () => {
      if (done || exit === undefined) return;
      cleanup();
      if (listenerError !== undefined) {
        reject(listenerError);
        return;
      }
      resolve({
        exitCode: exit.code,
        signal: exit.signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        outputTruncated: stdout.truncated || stderr.truncated,
        ms: Math.round(performance.now() - started),
      });
    };
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      clearTimeout(timer);
      killGroup();
      linger = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, LINGER_MS);
    });
    child.on("close", finish);
  });
}

function aborted(started: number): SandboxResult {
  const ms = Math.round(performance.now() - started);
  return {
    exitCode: null,
    signal: "SIGKILL",
    stdout: "",
    stderr: "",
    timedOut: false,
    outputTruncated: false,
    ms,
  };
}

/** Keeps the first `max` bytes of a stream and drops the rest, still draining it. */
class CappedText {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    const room = this.max - this.size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** Chooses the strongest sandbox this machine can run, once per process. */
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BwrapSandboxOptions, createBwrapSandbox } from "./bwrap-sandbox.js";
import { findExecutable } from "./find-executable.js";
import { createProcessSandbox } from "./process-sandbox.js";
import type { Sandbox } from "./sandbox.js";
import { SANDBOX_UID } from "./sandbox-user.js";

export interface SandboxDetection {
  mode: Sandbox["mode"];
  /** One sentence for the operator; when it is "process", the factory must show it loudly. */
  reason: string;
}

const WEAKER =
  "agents' commands will run as plain child processes, which can read the rest of the file system and reach the network";

const probes = new Map<string, Promise<SandboxDetection>>();

/**
 * Probes bwrap by running `id -u` under exactly the flags real runs use, in a throwaway
 * worktree; the answer is cached per bwrap path for the life of the process.
 */
export function detectSandbox(options: BwrapSandboxOptions = {}): Promise<SandboxDetection> {
  const key = options.bwrapPath ?? "";
  let probe = probes.get(key);
  if (probe === undefined) {
    probe = probeBwrap(options);
    probes.set(key, probe);
  }
  return probe;
}

/** The bwrap sandbox when the probe succeeds, else the process fallback. */
export async function createSandbox(options: BwrapSandboxOptions = {}): Promise<Sandbox> {
  const detection = await detectSandbox(options);
  return detection.mode === "bwrap" ? createBwrapSandbox(options) : createProcessSandbox();
}

async function probeBwrap(options: BwrapSandboxOptions): Promise<SandboxDetection> {
  const bwrap = options.bwrapPath ?? findExecutable("bwrap");
  if (bwrap === undefined)
    return { mode: "process", reason: `bwrap is not installed (package bubblewrap); ${WEAKER}.` };
  const dir = await mkdtemp(join(tmpdir(), "df-sandbox-probe-"));
  try {
    await chmod(dir, 0o755);
    await writeFile(join(dir, ".git"), "gitdir: /nonexistent\n");
    const result = await createBwrapSandbox({ ...options, bwrapPath: bwrap }).run({
      command: "id -u",
      worktree: dir,
      timeoutMs: 10_000,
    });
    if (result.exitCode === 0 && result.stdout.trim() === String(SANDBOX_UID))
      return {
        mode: "bwrap",
        reason: `${bwrap} runs commands as uid ${SANDBOX_UID} in namespaces.`,
      };
    const said = `${result.stderr}${result.stdout}`.trim().slice(0, 300);
    const ended = result.timedOut ? "timed out" : `exit ${result.exitCode ?? result.signal}`;
    return { mode: "process", reason: `${bwrap} failed a probe (${ended}: ${said}); ${WEAKER}.` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { mode: "process", reason: `${bwrap} failed a probe (${message}); ${WEAKER}.` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

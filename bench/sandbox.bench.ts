/**
 * What the sandbox costs an agent's command: `true` under bwrap (namespaces, mounts, prlimit)
 * and under the process fallback, against the same `true` spawned plainly with `sh -c` in the
 * same run. Every command of a bolt pays this once.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createBwrapSandbox,
  createProcessSandbox,
  detectSandbox,
  grantWorktreeAccess,
  type Sandbox,
} from "../src/workspace/index.js";

const RUNS = 40;

function plain(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", "true"], { stdio: "ignore" });
    child.on("error", reject).on("exit", () => resolve());
  });
}

async function timeEach(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm up
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) await run();
  return (performance.now() - started) / RUNS;
}

export async function benchSandbox(): Promise<void> {
  const worktree = mkdtempSync(join(tmpdir(), "df-bench-sandbox-"));
  chmodSync(worktree, 0o755);
  writeFileSync(join(worktree, ".git"), "gitdir: /nonexistent\n");
  await grantWorktreeAccess(worktree);
  try {
    const base = await timeEach(plain);
    const row = (name: string, ms: number) =>
      `  ${name.padEnd(44)} ${ms.toFixed(2).padStart(7)} ms   plain sh -c ${base.toFixed(2)} ms   ratio ${(ms / base).toFixed(2)}`;
    const lines = [`sandbox (a command that does nothing, ${RUNS} runs each)`];
    const sandboxes: [string, Sandbox][] = [["process fallback", createProcessSandbox()]];
    if ((await detectSandbox()).mode === "bwrap")
      sandboxes.unshift(["bwrap", createBwrapSandbox()]);
    else lines.push("  bwrap: not usable on this machine, skipped");
    for (const [name, sandbox] of sandboxes) {
      const ms = await timeEach(() => sandbox.run({ command: "true", worktree }));
      lines.push(row(`${name}, per command`, ms));
    }
    const memory = process.memoryUsage();
    lines.push(
      `  memory: rss ${(memory.rss / 1e6).toFixed(1)} MB, heap ${(memory.heapUsed / 1e6).toFixed(1)} MB`,
    );
    process.stdout.write(`\n${lines.join("\n")}\n`);
  } finally {
    rmSync(worktree, { recursive: true, force: true });
  }
}

/**
 * The Sandbox contract's conformance suite, run against every implementation
 * (`describeSandboxConformance("bwrap", createBwrapSandbox)`): what callers rely on, whatever
 * the isolation behind it.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, WorkError } from "../../common/index.js";
import { createSandboxFixture, type SandboxFixture, strayProcesses } from "./sandbox.fixture.js";
import type { Sandbox, SandboxRun } from "./sandbox.js";

export function describeSandboxConformance(name: string, create: () => Sandbox): void {
  describe(`Sandbox conformance: ${name}`, () => {
    const sandbox = create();
    let fx: SandboxFixture;
    const run = (command: string, extra: Partial<SandboxRun> = {}) =>
      sandbox.run({ command, worktree: fx.worktree, timeoutMs: 10_000, ...extra });

    beforeAll(async () => {
      fx = await createSandboxFixture();
      process.env.DF_SANDBOX_SECRET = fx.secretText;
    });
    afterAll(async () => {
      delete process.env.DF_SANDBOX_SECRET;
      await fx.cleanup();
    });

    it("returns exit code, stdout and stderr; a failing command is a result", async () => {
      const result = await run("echo out; echo err >&2; exit 42");
      expect(result).toMatchObject({
        exitCode: 42,
        signal: null,
        stdout: "out\n",
        stderr: "err\n",
      });
      expect(result).toMatchObject({ timedOut: false, outputTruncated: false });
      expect((await run("no-such-command-df")).exitCode).toBe(127);
    });

    it("writes inside the worktree land on the host", async () => {
      const result = await run("mkdir -p out && echo made > out/made.txt");
      expect(result.exitCode).toBe(0);
      expect(readFileSync(join(fx.worktree, "out", "made.txt"), "utf8")).toBe("made\n");
    });

    it("passes only the allow-listed environment and the run's extra variables", async () => {
      const result = await run("env", { env: { EXTRA_VAR: "extra-value" } });
      expect(result.stdout).not.toContain(fx.secretText);
      expect(result.stdout).not.toContain("DF_SANDBOX_SECRET");
      expect(result.stdout).toContain("EXTRA_VAR=extra-value");
      expect(result.stdout).toMatch(/^PATH=/m);
      expect(result.stdout).toMatch(/^HOME=/m);
      const names = result.stdout.match(/^[A-Z_][A-Z0-9_]*(?==)/gm) ?? [];
      const allowed = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TERM", "PWD", "SHLVL", "EXTRA_VAR"];
      expect(names.filter((n) => !allowed.includes(n))).toEqual([]);
    });

    it("runs in a folder of the worktree and refuses one outside it", async () => {
      await mkdir(join(fx.worktree, "sub"), { recursive: true });
      expect((await run("pwd", { cwd: "sub" })).stdout).toBe(`${join(fx.worktree, "sub")}\n`);
      await symlink(fx.home, join(fx.worktree, "escape"));
      for (const cwd of ["..", "/etc", fx.home, "escape", "sub/../.."])
        await expect(run("pwd", { cwd }), cwd).rejects.toBeInstanceOf(InputError);
      await expect(run("pwd", { cwd: "missing" })).rejects.toBeInstanceOf(InputError);
    });

    it("refuses a worktree that is not an absolute, existing folder", async () => {
      await expect(run("true", { worktree: "relative/wt" })).rejects.toBeInstanceOf(InputError);
      const missing = join(fx.base, "missing");
      await expect(run("true", { worktree: missing })).rejects.toBeInstanceOf(WorkError);
    });

    it("kills a command at its timeout", async () => {
      const result = await run("sleep 30", { timeoutMs: 700 });
      expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: "SIGKILL" });
      expect(result.ms).toBeLessThan(5_000);
    });

    it("kills the whole tree on abort", async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const result = await run("sleep 30", { signal: controller.signal });
      expect(result).toMatchObject({ timedOut: false, exitCode: null, signal: "SIGKILL" });
      expect(result.ms).toBeLessThan(5_000);
    });

    it("leaves no process behind, even one started in the background", async () => {
      const marker = `df-bg-${randomUUID()}`;
      const result = await run(`sh -c 'sleep 30; : ${marker}' & echo started`);
      expect(result.stdout).toBe("started\n");
      expect(await strayProcesses(marker)).toEqual([]);
    });

    it("truncates output past the cap", async () => {
      const result = await run("yes | head -n 5000", { maxOutputBytes: 1000 });
      expect(result.stdout).toHaveLength(1000);
      expect(result.outputTruncated).toBe(true);
    });

    it("stops a file from growing past the size limit", async () => {
      const result = await run("head -c 50000 /dev/zero > big.bin", { maxFileSizeBytes: 4096 });
      expect(result.exitCode).not.toBe(0);
      const big = join(fx.worktree, "big.bin");
      expect(existsSync(big) ? statSync(big).size : 0).toBeLessThanOrEqual(4096);
    });
  });
}

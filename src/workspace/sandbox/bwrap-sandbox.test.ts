import { randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBwrapSandbox } from "./bwrap-sandbox.js";
import { describeSandboxConformance } from "./conformance.js";
import { detectSandbox } from "./detect-sandbox.js";
import { createSandboxFixture, type SandboxFixture, strayProcesses } from "./sandbox.fixture.js";
import type { SandboxRun } from "./sandbox.js";
import { SANDBOX_UID } from "./sandbox-user.js";

describe("bwrap is usable here", () => {
  // Fails rather than skips: CI installs bubblewrap, and a silent fallback is the bug.
  it("probes as bwrap", async () => {
    const detection = await detectSandbox();
    expect(detection.mode, detection.reason).toBe("bwrap");
  });
});

describeSandboxConformance("bwrap", createBwrapSandbox);

describe("createBwrapSandbox", () => {
  const sandbox = createBwrapSandbox();
  let fx: SandboxFixture;
  const run = (command: string, extra: Partial<SandboxRun> = {}) =>
    sandbox.run({ command, worktree: fx.worktree, timeoutMs: 10_000, ...extra });

  beforeAll(async () => {
    fx = await createSandboxFixture();
  });
  afterAll(() => fx.cleanup());

  it("says it is bwrap and runs the command as uid 65534 with no capabilities", async () => {
    expect(sandbox.mode).toBe("bwrap");
    const result = await run("id -u; id -g; grep -E '^Cap(Eff|Bnd)' /proc/self/status");
    expect(result.stdout).toBe(
      `${SANDBOX_UID}\n${SANDBOX_UID}\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n`,
    );
  });

  it("mounts system folders read-only, a private /tmp, and the worktree at its own path", async () => {
    const result = await run("pwd; echo t > /tmp/t && cat /tmp/t; touch /usr/x; ls /");
    expect(result.stdout).toMatch(new RegExp(`^${fx.worktree}\nt\n`));
    expect(result.stderr).toMatch(/Read-only file system/);
    const listing = result.stdout.split("\n").slice(2).filter(Boolean);
    const top = fx.worktree.split("/")[1] ?? "";
    const allowed = ["bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "sbin"];
    expect(listing.filter((name) => ![...allowed, "tmp", "usr", top].includes(name))).toEqual([]);
  });

  it("mounts nothing of the host but system folders, a little of /etc, and the worktree", async () => {
    const result = await run("cut -d ' ' -f 5 /proc/self/mountinfo");
    const expected = new RegExp(
      `^(/|/(usr|bin|sbin|lib|lib32|lib64|libx32|proc|tmp)|/etc/[^/]+|/dev(/.*)?|${fx.worktree}(/\\.git)?)$`,
    );
    const points = result.stdout.trim().split("\n");
    expect(points).toContain(fx.worktree);
    expect(points.filter((point) => !expected.test(point))).toEqual([]);
  });

  it("shows read-only paths even under the host's /tmp, which its private /tmp would hide", async () => {
    const toolchain = mkdtempSync(join(tmpdir(), "df-toolchain-"));
    try {
      writeFileSync(join(toolchain, "tool"), "#!/bin/sh\necho from the toolchain\n", {
        mode: 0o755,
      });
      chmodSync(toolchain, 0o755);
      const withTool = createBwrapSandbox({ readOnlyPaths: [toolchain] });
      const result = await withTool.run({
        command: `${join(toolchain, "tool")}; touch ${join(toolchain, "x")}`,
        worktree: fx.worktree,
        timeoutMs: 10_000,
      });
      expect(result.stdout).toBe("from the toolchain\n");
      expect(result.stderr).toMatch(/Read-only file system/);
    } finally {
      rmSync(toolchain, { recursive: true, force: true });
    }
  });

  it("gives the file the host sees to the sandbox user", async () => {
    const result = await run("echo hello > owned.txt");
    expect(result.exitCode).toBe(0);
    const owner = statSync(`${fx.worktree}/owned.txt`).uid;
    expect(owner).toBe(process.getuid?.() === 0 ? SANDBOX_UID : process.getuid?.());
  });

  it("counts processes per run: forks past maxProcesses fail", async () => {
    const result = await run("for i in $(seq 1 200); do sleep 5 & echo $i; done", {
      maxProcesses: 32,
    });
    const started = result.stdout.trim().split("\n").length;
    expect(started).toBeLessThan(32);
    expect(result.stderr).toMatch(/fork/i);
    expect(result.ms).toBeLessThan(4_000);
  });

  it("survives a fork bomb: the call returns and no process is left", async () => {
    const marker = `df-bomb-${randomUUID()}`;
    const result = await run(`: ${marker}; b() { b | b & }; b; sleep 30`, {
      maxProcesses: 64,
      timeoutMs: 3_000,
    });
    expect(result.ms).toBeLessThan(8_000);
    expect(await strayProcesses(marker)).toEqual([]);
  });

  it("runs two fork-heavy commands side by side, each with its own process budget", async () => {
    const command = "for i in $(seq 1 20); do sleep 1 & done; wait; echo done";
    const results = await Promise.all([
      run(command, { maxProcesses: 30 }),
      run(command, { maxProcesses: 30 }),
    ]);
    for (const result of results) expect(result).toMatchObject({ exitCode: 0, stdout: "done\n" });
  });
});

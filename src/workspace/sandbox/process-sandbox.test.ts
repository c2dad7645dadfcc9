import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeSandboxConformance } from "./conformance.js";
import { limitedShell } from "./limited-shell.js";
import { createProcessSandbox } from "./process-sandbox.js";
import { createSandboxFixture, type SandboxFixture } from "./sandbox.fixture.js";
import { SANDBOX_UID } from "./sandbox-user.js";

describeSandboxConformance("process", createProcessSandbox);

describe("createProcessSandbox", () => {
  it("says it is the weaker process mode", () => {
    expect(createProcessSandbox().mode).toBe("process");
  });

  it.runIf(process.getuid?.() === 0)("drops to uid 65534 when the factory is root", async () => {
    const result = await createProcessSandbox().run({ command: "id -u", worktree: "/tmp" });
    expect(result.stdout.trim()).toBe(String(SANDBOX_UID));
  });
});

describe.runIf(process.getuid?.() === 0)("a root factory's process sandbox", () => {
  let fx: SandboxFixture;
  beforeAll(async () => {
    fx = await createSandboxFixture();
  });
  afterAll(() => fx.cleanup());

  it("leaves the worktree usable by root's git after handing it over", () => {
    const status = execFileSync("git", ["-C", fx.worktree, "status", "--porcelain"], {
      encoding: "utf8",
    });
    expect(status).toBe("");
  });

  it("cannot replace the worktree's .git link (root's, in a sticky folder)", async () => {
    const link = `${fx.worktree}/.git`;
    const before = readFileSync(link, "utf8");
    for (const command of ["echo 'gitdir: /tmp/evil' > .git", "rm -f .git", "mv .git moved"]) {
      const result = await createProcessSandbox().run({ command, worktree: fx.worktree });
      expect(result.exitCode, command).not.toBe(0);
      expect(readFileSync(link, "utf8"), command).toBe(before);
    }
  });
});

describe("limitedShell without prlimit", () => {
  it("sets hard and soft limits with ulimit", () => {
    const argv = limitedShell(
      "cat /proc/self/limits",
      { maxProcesses: 50, maxFileSizeBytes: 5120 },
      undefined,
    );
    const [file, ...args] = argv;
    const limits = execFileSync(file ?? "", args, { encoding: "utf8" });
    expect(limits).toMatch(/^Max processes\s+50\s+50\s/m);
    expect(limits).toMatch(/^Max file size\s+5120\s+5120\s/m);
  });
});

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorktreeFixture, readText, type WorktreeFixture } from "./worktree.fixture.js";

let fx: WorktreeFixture;
beforeEach(() => {
  fx = createWorktreeFixture();
});
afterEach(() => fx.cleanup());

describe("write", () => {
  it("creates a file and its parent directories", async () => {
    expect(await fx.tools.write("new/deep/file.txt", "héllo\n")).toEqual({
      ok: true,
      value: { path: "new/deep/file.txt", bytes: 7, created: true },
    });
    expect(readText(join(fx.worktree, "new", "deep", "file.txt"))).toBe("héllo\n");
    expect(fx.refusals).toEqual([]);
  });

  it("replaces an existing file entirely, keeping its mode", async () => {
    const path = join(fx.worktree, "src", "app.ts");
    const mode = statSync(path).mode;
    const result = await fx.tools.write("./src/app.ts", "short\n");
    expect(result).toEqual({ ok: true, value: { path: "src/app.ts", bytes: 6, created: false } });
    expect(readText(path)).toBe("short\n");
    expect(statSync(path).mode).toBe(mode);
  });

  it("refuses content over maxWriteBytes and writes nothing", async () => {
    const tools = fx.toolsWith({ maxWriteBytes: 5 });
    const result = await tools.write("big.txt", "123456");
    expect(!result.ok && result.error.reason).toBe("too-large");
    expect(existsSync(join(fx.worktree, "big.txt"))).toBe(false);
    expect((await tools.write("ok.txt", "12345")).ok).toBe(true);
    expect(fx.refusals.map((refusal) => [refusal.tool, refusal.reason])).toEqual([
      ["write", "too-large"],
    ]);
  });

  it("refuses a directory, a path under a file, and the worktree itself", async () => {
    const results = await Promise.all(
      ["src", "README.md/x.txt", ".", ""].map((path) => fx.tools.write(path, "x")),
    );
    expect(results.map((result) => !result.ok && result.error.reason)).toEqual([
      "not-found",
      "not-found",
      "not-found",
      "not-found",
    ]);
    expect(readText(join(fx.worktree, "README.md"))).toBe("# Product\n\nHello world.\n");
  });
});

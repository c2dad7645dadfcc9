import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorktreeFixture, type WorktreeFixture } from "./worktree.fixture.js";

let fx: WorktreeFixture;
beforeEach(() => {
  fx = createWorktreeFixture();
});
afterEach(() => fx.cleanup());

describe("read", () => {
  it("returns a whole file with its line count", async () => {
    expect(await fx.tools.read("README.md")).toEqual({
      ok: true,
      value: {
        path: "README.md",
        content: "# Product\n\nHello world.\n",
        lines: 3,
        truncated: false,
      },
    });
  });

  it("returns the lines from a 1-based offset up to a limit, saying when more follow", async () => {
    const middle = await fx.tools.read("src/app.ts", { offset: 2, limit: 2 });
    expect(middle.ok && middle.value).toEqual({
      path: "src/app.ts",
      content: "export function main() {\n  return greeting;\n",
      lines: 4,
      truncated: true,
    });
    const tail = await fx.tools.read("src/app.ts", { offset: 4 });
    expect(tail.ok && [tail.value.content, tail.value.truncated]).toEqual(["}\n", false]);
    const past = await fx.tools.read("src/app.ts", { offset: 99 });
    expect(past.ok && past.value.content).toBe("");
  });

  it("counts a last line without a newline", async () => {
    writeFileSync(join(fx.worktree, "n.txt"), "a\r\nb");
    const read = await fx.tools.read("n.txt", { limit: 1 });
    expect(read.ok && read.value).toMatchObject({ content: "a\r\n", lines: 2, truncated: true });
  });

  it("refuses files over maxReadBytes", async () => {
    const tools = fx.toolsWith({ maxReadBytes: 10 });
    const read = await tools.read("README.md");
    expect(!read.ok && read.error.reason).toBe("too-large");
    expect(fx.refusals.map((refusal) => refusal.reason)).toEqual(["too-large"]);
    expect((await fx.toolsWith({ maxReadBytes: 24 }).read("README.md")).ok).toBe(true);
  });

  it("refuses binary files, missing files and directories", async () => {
    writeFileSync(join(fx.worktree, "blob.bin"), Buffer.from([0x89, 0x50, 0x00, 0x47]));
    const results = await Promise.all(
      ["blob.bin", "missing.txt", "src", "src/missing/deeper.ts", "README.md/x"].map((path) =>
        fx.tools.read(path),
      ),
    );
    expect(results.map((result) => !result.ok && result.error.reason)).toEqual([
      "binary",
      "not-found",
      "not-found",
      "not-found",
      "not-found",
    ]);
    expect(fx.refusals).toHaveLength(5);
  });

  it("refuses a FIFO without hanging", async () => {
    execFileSync("mkfifo", [join(fx.worktree, "pipe")]);
    const read = await fx.tools.read("pipe");
    expect(!read.ok && read.error).toEqual({
      reason: "not-found",
      message: "pipe: not a regular file",
    });
  });
});

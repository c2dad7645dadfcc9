import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { globMatcher } from "./glob.js";
import { createWorktreeFixture, type WorktreeFixture } from "./worktree.fixture.js";

let fx: WorktreeFixture;
beforeEach(() => {
  fx = createWorktreeFixture();
});
afterEach(() => fx.cleanup());

describe("search", () => {
  it("finds literal text with 1-based line numbers, in path order", async () => {
    expect(await fx.tools.search("TODO")).toEqual({
      ok: true,
      value: {
        matches: [
          { path: "docs/guide.md", line: 2, text: "TODO: write the guide" },
          { path: "src/util/math.ts", line: 2, text: "// TODO: subtract" },
        ],
        truncated: false,
      },
    });
  });

  it("treats the pattern literally unless regex is set", async () => {
    const literal = await fx.tools.search("(a: number");
    expect(literal.ok && literal.value.matches.map((match) => match.path)).toEqual([
      "src/util/math.ts",
    ]);
    const regex = await fx.tools.search("^export (const|function) \\w+", { regex: true });
    expect(regex.ok && regex.value.matches.map((match) => `${match.path}:${match.line}`)).toEqual([
      "src/app.ts:1",
      "src/app.ts:2",
      "src/util/math.ts:1",
    ]);
  });

  it("returns a bad regex as an error result", async () => {
    const result = await fx.tools.search("(unclosed", { regex: true });
    expect(!result.ok && result.error.reason).toBe("no-match");
    expect(!result.ok && result.error.message).toMatch(/invalid regular expression/);
    expect(fx.refusals).toHaveLength(1);
  });

  it("narrows by path and by glob", async () => {
    const inDocs = await fx.tools.search("hello", { path: "docs" });
    expect(inDocs.ok && inDocs.value.matches.map((match) => match.path)).toEqual(["docs/guide.md"]);
    const ts = await fx.tools.search("e", { glob: "src/**/*.ts", maxMatches: 100 });
    const paths = new Set(ts.ok ? ts.value.matches.map((match) => match.path) : []);
    expect([...paths]).toEqual(["src/app.ts", "src/util/math.ts"]);
    const md = await fx.tools.search("e", { glob: "*.{md,txt}" });
    const mdPaths = new Set(md.ok ? md.value.matches.map((match) => match.path) : []);
    expect([...mdPaths]).toEqual(["README.md", "docs/guide.md"]);
  });

  it("skips node_modules, binary files and files over maxReadBytes", async () => {
    mkdirSync(join(fx.worktree, "node_modules"));
    writeFileSync(join(fx.worktree, "node_modules", "dep.js"), "needle\n");
    writeFileSync(
      join(fx.worktree, "blob.bin"),
      Buffer.concat([Buffer.from("needle\n"), Buffer.from([0])]),
    );
    writeFileSync(join(fx.worktree, "big.txt"), `needle\n${"x".repeat(200)}\n`);
    writeFileSync(join(fx.worktree, "small.txt"), "needle\n");
    const result = await fx.toolsWith({ maxReadBytes: 100 }).search("needle");
    expect(result.ok && result.value.matches).toEqual([
      { path: "small.txt", line: 1, text: "needle" },
    ]);
  });

  it("stops at maxMatches and says so", async () => {
    const result = await fx.tools.search("e", { maxMatches: 2 });
    expect(result.ok && result.value).toMatchObject({ truncated: true });
    expect(result.ok && result.value.matches).toHaveLength(2);
  });

  it("refuses a single named binary file rather than skipping it silently", async () => {
    writeFileSync(join(fx.worktree, "blob.bin"), Buffer.from([1, 0, 2]));
    const result = await fx.tools.search("x", { path: "blob.bin" });
    expect(!result.ok && result.error.reason).toBe("binary");
  });
});

describe("globMatcher", () => {
  it.each([
    ["*.ts", "src/a.ts", true],
    ["*.ts", "src/a.tsx", false],
    ["src/*.ts", "src/util/a.ts", false],
    ["src/**/*.ts", "src/a.ts", true],
    ["src/**/*.ts", "src/util/deep/a.ts", true],
    ["**/test/?.js", "a/b/test/x.js", true],
    ["*.{md,txt}", "docs/a.txt", true],
    ["a.b", "axb", false],
  ])("%s against %s is %s", (glob, path, expected) => {
    expect(globMatcher(glob)(path)).toBe(expected);
  });
});

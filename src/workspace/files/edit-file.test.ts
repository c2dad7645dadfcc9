import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorktreeFixture, readText, type WorktreeFixture } from "./worktree.fixture.js";

let fx: WorktreeFixture;
const APP = 'export const greeting = "hello";\nexport function main() {\n  return greeting;\n}\n';
const appPath = () => join(fx.worktree, "src", "app.ts");

beforeEach(() => {
  fx = createWorktreeFixture();
});
afterEach(() => fx.cleanup());

describe("edit", () => {
  it("replaces text that matches exactly once", async () => {
    const result = await fx.tools.edit("src/app.ts", { oldText: '"hello"', newText: '"hi"' });
    expect(result).toEqual({ ok: true, value: { path: "src/app.ts", replacements: 1 } });
    expect(readText(appPath())).toBe(APP.replace('"hello"', '"hi"'));
  });

  it("refuses text that matches more than once, with the count, changing nothing", async () => {
    const result = await fx.tools.edit("src/app.ts", { oldText: "greeting", newText: "salute" });
    expect(!result.ok && result.error).toEqual({
      reason: "ambiguous",
      message: "src/app.ts: oldText matches 2 times; add surrounding lines or set replaceAll",
    });
    expect(readText(appPath())).toBe(APP);
    expect(fx.refusals).toEqual([
      expect.objectContaining({ tool: "edit", path: "src/app.ts", reason: "ambiguous" }),
    ]);
  });

  it("replaces every occurrence with replaceAll", async () => {
    const result = await fx.tools.edit("src/app.ts", {
      oldText: "greeting",
      newText: "salute",
      replaceAll: true,
    });
    expect(result.ok && result.value.replacements).toBe(2);
    expect(readText(appPath())).toBe(APP.replaceAll("greeting", "salute"));
  });

  it("hints at the closest line when nothing matches", async () => {
    const result = await fx.tools.edit("src/app.ts", {
      oldText: "export function mian() {\n    return greeting;",
      newText: "x",
    });
    expect(!result.ok && result.error).toEqual({
      reason: "no-match",
      message: 'src/app.ts: oldText not found; closest line 2: "export function main() {"',
    });
    expect(readText(appPath())).toBe(APP);
  });

  it("keeps $ patterns in newText literal", async () => {
    await fx.tools.edit("src/app.ts", { oldText: '"hello"', newText: "`$& $1 $$`" });
    expect(readText(appPath())).toContain("export const greeting = `$& $1 $$`;");
  });

  it("refuses a missing file, an empty oldText and an edit past maxWriteBytes", async () => {
    const missing = await fx.tools.edit("src/none.ts", { oldText: "a", newText: "b" });
    const empty = await fx.tools.edit("src/app.ts", { oldText: "", newText: "b" });
    const tools = fx.toolsWith({ maxWriteBytes: APP.length + 5 });
    const big = await tools.edit("src/app.ts", { oldText: "hello", newText: "hello, world" });
    expect([missing, empty, big].map((result) => !result.ok && result.error.reason)).toEqual([
      "not-found",
      "no-match",
      "too-large",
    ]);
    expect(readText(appPath())).toBe(APP);
    expect(fx.refusals).toHaveLength(3);
  });

  it("refuses to edit a file over maxReadBytes", async () => {
    const result = await fx.toolsWith({ maxReadBytes: 10 }).edit("src/app.ts", {
      oldText: "hello",
      newText: "hi",
    });
    expect(!result.ok && result.error.reason).toBe("too-large");
    expect(readText(appPath())).toBe(APP);
  });
});

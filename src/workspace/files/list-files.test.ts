import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorktreeFixture, type WorktreeFixture } from "./worktree.fixture.js";

let fx: WorktreeFixture;
beforeEach(() => {
  fx = createWorktreeFixture();
});
afterEach(() => fx.cleanup());

describe("list", () => {
  it("lists one directory by name, without .git", async () => {
    expect(await fx.tools.list()).toEqual({
      ok: true,
      value: {
        entries: [
          { path: "README.md", kind: "file", size: 24 },
          { path: "docs", kind: "dir", size: 0 },
          { path: "src", kind: "dir", size: 0 },
        ],
        truncated: false,
      },
    });
  });

  it("lists recursively, breadth first, with worktree-relative paths", async () => {
    const listing = await fx.tools.list("src", { recursive: true });
    expect(listing.ok && listing.value.entries.map((entry) => entry.path)).toEqual([
      "src/app.ts",
      "src/util",
      "src/util/math.ts",
    ]);
    const all = await fx.tools.list(".", { recursive: true });
    expect(all.ok && all.value.entries.map((entry) => entry.path)).toEqual([
      "README.md",
      "docs",
      "src",
      "docs/guide.md",
      "src/app.ts",
      "src/util",
      "src/util/math.ts",
    ]);
  });

  it("stops at maxEntries and says so", async () => {
    const listing = await fx.tools.list(".", { recursive: true, maxEntries: 4 });
    expect(listing.ok && listing.value.entries).toHaveLength(4);
    expect(listing.ok && listing.value.truncated).toBe(true);
  });

  it("shows node_modules without descending into it", async () => {
    mkdirSync(join(fx.worktree, "node_modules", "dep"), { recursive: true });
    writeFileSync(join(fx.worktree, "node_modules", "dep", "index.js"), "x");
    const listing = await fx.tools.list(".", { recursive: true });
    const paths = listing.ok ? listing.value.entries.map((entry) => entry.path) : [];
    expect(paths).toContain("node_modules");
    expect(paths.filter((path) => path.startsWith("node_modules/"))).toEqual([]);
    const explicit = await fx.tools.list("node_modules/dep");
    expect(explicit.ok && explicit.value.entries.map((entry) => entry.path)).toEqual([
      "node_modules/dep/index.js",
    ]);
  });

  it("lists a file as itself and refuses a missing path", async () => {
    const file = await fx.tools.list("docs/guide.md");
    expect(file.ok && file.value.entries).toEqual([
      { path: "docs/guide.md", kind: "file", size: 34 },
    ]);
    const missing = await fx.tools.list("nope");
    expect(!missing.ok && missing.error.reason).toBe("not-found");
    expect(fx.refusals).toEqual([expect.objectContaining({ tool: "list", path: "nope" })]);
  });
});

import { realpathSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ToolContext } from "./context.js";
import { readConfined, writeConfined } from "./open-confined.js";
import { resolveForRead, resolveForWrite } from "./resolve-path.js";
import {
  createWorktreeFixture,
  readText,
  SECRET,
  type WorktreeFixture,
} from "./worktree.fixture.js";

// A symlink swapped in between the confinement check and the open: the race a command the
// agent left running in the background could try.
let fx: WorktreeFixture;
let ctx: ToolContext;

beforeEach(() => {
  fx = createWorktreeFixture();
  const root = realpathSync(fx.worktree);
  ctx = { root, given: fx.worktree, maxReadBytes: 1 << 20, maxWriteBytes: 1 << 20 };
  writeFileSync(join(fx.home, "app.ts"), "outside\n");
});

afterEach(() => {
  expect(readText(fx.secretFile)).toBe(SECRET);
  expect(readText(join(fx.home, "app.ts"))).toBe("outside\n");
  expect(fx.homeListing()).toEqual(["app.ts", "secret.txt"]);
  fx.cleanup();
});

function swapSrcForHome(): void {
  renameSync(join(fx.worktree, "src"), join(fx.worktree, "src-moved"));
  symlinkSync(fx.home, join(fx.worktree, "src"));
}

describe("races with a symlink swapped in after the check", () => {
  it("refuses to read through a parent swapped for a symlink", async () => {
    const target = await resolveForRead(ctx, "src/app.ts");
    if (!target.ok) throw new Error(target.error.message);
    swapSrcForHome();
    const read = await readConfined(target.value.real, target.value.rel, ctx.maxReadBytes);
    expect(read.ok ? read.value.toString() : read.error.reason).toBe("symlink");
  });

  it("refuses to overwrite a file whose parent was swapped", async () => {
    const target = await resolveForWrite(ctx, "src/app.ts");
    if (!target.ok) throw new Error(target.error.message);
    swapSrcForHome();
    const written = await writeConfined(target.value, Buffer.from("pwned\n"));
    expect(written.ok ? "written" : written.error.reason).toBe("symlink");
  });

  it("refuses to create a file whose parent was swapped", async () => {
    const target = await resolveForWrite(ctx, "src/new.ts");
    if (!target.ok) throw new Error(target.error.message);
    swapSrcForHome();
    const written = await writeConfined(target.value, Buffer.from("pwned\n"));
    expect(written.ok ? "written" : written.error.reason).toBe("symlink");
  });

  it("refuses to create a file when a symlink appeared at its name", async () => {
    const target = await resolveForWrite(ctx, "planted.ts");
    if (!target.ok) throw new Error(target.error.message);
    symlinkSync(join(fx.home, "app.ts"), join(fx.worktree, "planted.ts"));
    const written = await writeConfined(target.value, Buffer.from("pwned\n"));
    expect(written.ok ? "written" : written.error.reason).toBe("symlink");
  });
});

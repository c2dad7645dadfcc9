import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileToolName, RefusalReason, ToolResult } from "./types.js";
import {
  createWorktreeFixture,
  readText,
  SECRET,
  type WorktreeFixture,
} from "./worktree.fixture.js";

let fx: WorktreeFixture;

beforeEach(() => {
  fx = createWorktreeFixture();
});

afterEach(() => {
  // Whatever the attack, the home outside the worktree is exactly as it was.
  expect(readText(fx.secretFile)).toBe(SECRET);
  expect(fx.homeListing()).toEqual(["secret.txt"]);
  fx.cleanup();
});

/** The call was refused with `reason`, reported once to onRefusal, and leaked no secret. */
async function expectRefused(
  call: Promise<ToolResult<unknown>>,
  tool: FileToolName,
  reason: RefusalReason,
): Promise<void> {
  const before = fx.refusals.length;
  const result = await call;
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  expect(result.error.reason).toBe(reason);
  expect(result.error.message).not.toContain("TOP SECRET");
  expect(fx.refusals.slice(before)).toEqual([
    { tool, path: expect.any(String), reason, message: result.error.message },
  ]);
}

/** Each tool, aimed at `path`. */
function everyTool(path: string) {
  const { tools } = fx;
  return {
    read: () => tools.read(path),
    list: () => tools.list(path),
    search: () => tools.search("SECRET", { path }),
    write: () => tools.write(path, "pwned\n"),
    edit: () => tools.edit(path, { oldText: "TOP", newText: "pwned" }),
  };
}

const toolNames: FileToolName[] = ["read", "list", "search", "write", "edit"];

describe("paths that leave the worktree", () => {
  it.each(toolNames)("%s refuses ../ into the home", async (tool) => {
    await expectRefused(everyTool("../home/secret.txt")[tool](), tool, "outside");
  });

  it.each(toolNames)("%s refuses an absolute path to the home", async (tool) => {
    await expectRefused(everyTool(fx.secretFile)[tool](), tool, "outside");
  });

  it("refuses a .. that climbs out from a subdirectory", async () => {
    await expectRefused(fx.tools.read("src/../../home/secret.txt"), "read", "outside");
    await expectRefused(fx.tools.write("src/util/../../../home/x.txt", "x"), "write", "outside");
  });

  it("refuses the main repository's git directory beside the worktree", async () => {
    await expectRefused(fx.tools.read("../repo/.git/config"), "read", "outside");
  });

  it("accepts an absolute path that stays inside and reports it relative", async () => {
    const result = await fx.tools.read(join(fx.worktree, "src", "app.ts"));
    expect(result.ok && result.value.path).toBe("src/app.ts");
    expect(fx.refusals).toEqual([]);
  });
});

describe("symlinks", () => {
  it.each(toolNames)("%s refuses a symlinked file pointing outside", async (tool) => {
    symlinkSync(fx.secretFile, join(fx.worktree, "leak.txt"));
    await expectRefused(everyTool("leak.txt")[tool](), tool, "symlink");
  });

  it.each(toolNames)(
    "%s refuses a path under a symlinked directory pointing outside",
    async (tool) => {
      symlinkSync(fx.home, join(fx.worktree, "outdir"));
      await expectRefused(everyTool("outdir/secret.txt")[tool](), tool, "symlink");
    },
  );

  it("refuses listing a symlinked directory and never lists through one", async () => {
    symlinkSync(fx.home, join(fx.worktree, "outdir"));
    await expectRefused(fx.tools.list("outdir"), "list", "symlink");
    const listing = await fx.tools.list(".", { recursive: true });
    if (!listing.ok) throw new Error(listing.error.message);
    expect(listing.value.entries).toContainEqual({ path: "outdir", kind: "symlink", size: 0 });
    expect(listing.value.entries.filter((entry) => entry.path.startsWith("outdir/"))).toEqual([]);
  });

  it("never searches through symlinks", async () => {
    symlinkSync(fx.home, join(fx.worktree, "outdir"));
    symlinkSync(fx.secretFile, join(fx.worktree, "leak.txt"));
    const result = await fx.tools.search("SECRET");
    expect(result).toEqual({ ok: true, value: { matches: [], truncated: false } });
  });

  it("refuses a new file, or new directories, under a symlinked directory", async () => {
    symlinkSync(fx.home, join(fx.worktree, "outdir"));
    await expectRefused(fx.tools.write("outdir/new.txt", "x"), "write", "symlink");
    await expectRefused(fx.tools.write("outdir/deep/er/new.txt", "x"), "write", "symlink");
  });

  it("refuses a relative symlink deeper in the tree", async () => {
    symlinkSync("../../home", join(fx.worktree, "src", "up"));
    await expectRefused(fx.tools.read("src/up/secret.txt"), "read", "symlink");
    await expectRefused(fx.tools.write("src/up/secret.txt", "x"), "write", "symlink");
  });

  it("gives the same answer for files that exist outside and files that do not", async () => {
    symlinkSync(fx.home, join(fx.worktree, "outdir"));
    await expectRefused(fx.tools.read("outdir/secret.txt"), "read", "symlink");
    await expectRefused(fx.tools.read("outdir/absent.txt"), "read", "symlink");
    symlinkSync(join(fx.home, "absent.txt"), join(fx.worktree, "ghost"));
    await expectRefused(fx.tools.read("ghost"), "read", "symlink");
  });

  it("refuses to write through a dangling symlink, creating nothing outside", async () => {
    symlinkSync(join(fx.home, "planted.txt"), join(fx.worktree, "ghost"));
    await expectRefused(fx.tools.write("ghost", "x"), "write", "symlink");
    expect(existsSync(join(fx.home, "planted.txt"))).toBe(false);
  });

  it("refuses a symlink the agent swapped in for a file it wrote earlier", async () => {
    expect((await fx.tools.write("notes.txt", "mine\n")).ok).toBe(true);
    rmSync(join(fx.worktree, "notes.txt"));
    symlinkSync(fx.secretFile, join(fx.worktree, "notes.txt"));
    await expectRefused(fx.tools.write("notes.txt", "x"), "write", "symlink");
    await expectRefused(fx.tools.read("notes.txt"), "read", "symlink");
  });

  it("reads through a symlink that stays inside, but never writes through it", async () => {
    symlinkSync("README.md", join(fx.worktree, "alias.md"));
    const read = await fx.tools.read("alias.md");
    expect(read.ok && read.value).toMatchObject({
      path: "alias.md",
      content: "# Product\n\nHello world.\n",
    });
    await expectRefused(fx.tools.write("alias.md", "x"), "write", "symlink");
    await expectRefused(
      fx.tools.edit("alias.md", { oldText: "Hello", newText: "Bye" }),
      "edit",
      "symlink",
    );
    expect(readText(join(fx.worktree, "README.md"))).toBe("# Product\n\nHello world.\n");
  });

  it("refuses a symlink that leads into .git", async () => {
    symlinkSync(".git", join(fx.worktree, "gitlink"));
    await expectRefused(fx.tools.read("gitlink"), "read", "git");
  });
});

describe(".git", () => {
  const gitPaths = [
    ".git",
    ".git/config",
    "./.git",
    "src/../.git/HEAD",
    ".GIT/config",
    "sub/.git/hooks/x",
  ];

  it.each(gitPaths)("read refuses %s", async (path) => {
    await expectRefused(fx.tools.read(path), "read", "git");
  });

  it.each(toolNames)("%s refuses the worktree's .git file by absolute path", async (tool) => {
    await expectRefused(everyTool(join(fx.worktree, ".git"))[tool](), tool, "git");
  });

  it("refuses to write the .git file or plant a hook, and leaves .git as it was", async () => {
    const gitFile = readText(join(fx.worktree, ".git"));
    await expectRefused(fx.tools.write(".git", "gitdir: /elsewhere\n"), "write", "git");
    await expectRefused(fx.tools.write(".git/hooks/pre-commit", "#!/bin/sh\n"), "write", "git");
    await expectRefused(fx.tools.edit(".git", { oldText: "gitdir", newText: "x" }), "edit", "git");
    expect(readText(join(fx.worktree, ".git"))).toBe(gitFile);
    expect(readdirSync(join(fx.repo, ".git", "hooks"))).not.toContain("pre-commit");
  });

  it("never lists or searches .git", async () => {
    mkdirSync(join(fx.worktree, "sub", ".git"), { recursive: true });
    writeFileSync(join(fx.worktree, "sub", ".git", "config"), "gitdir secret\n");
    const listing = await fx.tools.list(".", { recursive: true });
    if (!listing.ok) throw new Error(listing.error.message);
    expect(listing.value.entries.some((entry) => entry.path.split("/").includes(".git"))).toBe(
      false,
    );
    expect(listing.value.entries.map((entry) => entry.path)).toContain("sub");
    const search = await fx.tools.search("gitdir");
    expect(search.ok && search.value.matches).toEqual([]);
  });
});

describe("malformed paths", () => {
  it.each(toolNames)("%s refuses a path with a NUL byte", async (tool) => {
    await expectRefused(everyTool("README.md\0../../home/secret.txt")[tool](), tool, "outside");
    expect(fx.refusals.at(-1)?.path).toContain("\\0");
  });

  it.each(toolNames)("%s refuses a very long path, creating nothing", async (tool) => {
    const before = readdirSync(fx.worktree).sort();
    await expectRefused(everyTool(`${"a/".repeat(3000)}x.txt`)[tool](), tool, "outside");
    await expectRefused(everyTool(`${"y".repeat(300)}.txt`)[tool](), tool, "outside");
    expect(readdirSync(fx.worktree).sort()).toEqual(before);
    expect((fx.refusals.at(-2)?.path.length ?? 0) < 400).toBe(true);
  });
});

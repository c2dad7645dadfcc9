import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGit, type Git } from "./git.js";

let dir: string;
let repo: string;
let git: Git;
const sh = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "df-git-"));
  repo = join(dir, "product");
  mkdirSync(repo);
  sh(repo, "init", "-q", "-b", "main");
  sh(repo, "config", "user.name", "test");
  sh(repo, "config", "user.email", "test@example.invalid");
  writeFileSync(join(repo, "a.txt"), "one\n");
  sh(repo, "add", ".");
  sh(repo, "commit", "-q", "-m", "initial");
  git = createGit({ repo });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("orchestrator git", () => {
  it("adds a worktree on a new branch, and reuses it when asked again", async () => {
    const wt = join(dir, "wt", "t1");
    expect(await git.addWorktree(wt, "factory/b1/t1", "main")).toEqual({ created: true });
    expect(await git.addWorktree(wt, "factory/b1/t1", "main")).toEqual({ created: false });
    expect(readFileSync(join(wt, "a.txt"), "utf8")).toBe("one\n");
    expect(await git.revParse("refs/heads/factory/b1/t1")).toBe(await git.revParse("main"));
  });

  it("commits once per set of trailers, even when asked twice", async () => {
    const wt = join(dir, "wt", "t1");
    await git.addWorktree(wt, "factory/b1/t1", "main");
    writeFileSync(join(wt, "b.txt"), "two\n");
    const first = await git.commitAll(wt, "task t1", { Bolt: "b1", Task: "t1" });
    const again = await git.commitAll(wt, "task t1", { Bolt: "b1", Task: "t1" });
    expect(first.created).toBe(true);
    expect(again).toEqual({ commit: first.commit, created: false });
    expect(await git.findCommit("factory/b1/t1", { Bolt: "b1", Task: "t1" })).toBe(first.commit);
    expect(await git.findCommit("factory/b1/t1", { Bolt: "b2" })).toBeUndefined();
  });

  it("merges with one merge commit and its trailers, and reports a conflict with its files", async () => {
    const integration = join(dir, "wt", "integration");
    await git.addWorktree(integration, "factory/b1/integration", "main");
    for (const [task, text] of [
      ["t1", "from t1\n"],
      ["t2", "from t2\n"],
    ] as const) {
      const wt = join(dir, "wt", task);
      await git.addWorktree(wt, `factory/b1/${task}`, "main");
      writeFileSync(join(wt, "a.txt"), text);
      await git.commitAll(wt, `task ${task}`, { Bolt: "b1", Task: task });
    }
    const merged = await git.merge(integration, "factory/b1/t1", "merge t1", {
      Bolt: "b1",
      Merge: "t1",
    });
    expect(merged).toMatchObject({ ok: true, created: true });
    const parents = sh(repo, "log", "-1", "--format=%P", "factory/b1/integration")
      .trim()
      .split(" ");
    expect(parents).toHaveLength(2);
    expect(
      sh(repo, "log", "-1", "--format=%(trailers:only,unfold)", "factory/b1/integration"),
    ).toContain("Merge: t1");
    expect(
      await git.merge(integration, "factory/b1/t1", "merge t1", { Bolt: "b1", Merge: "t1" }),
    ).toEqual({ ...merged, created: false });

    const conflict = await git.merge(integration, "factory/b1/t2", "merge t2", {
      Bolt: "b1",
      Merge: "t2",
    });
    expect(conflict).toEqual({ ok: false, conflicts: ["a.txt"] });
    expect(readFileSync(join(integration, "a.txt"), "utf8")).toBe("from t1\n");
    expect(existsSync(join(repo, ".git", "worktrees", "integration", "MERGE_HEAD"))).toBe(false);
  });

  it("runs no hook and no fsmonitor configured in the repository", async () => {
    const marker = join(dir, "ran");
    const script = join(dir, "evil.sh");
    writeFileSync(script, `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(script, 0o755);
    for (const hook of ["pre-commit", "post-commit", "commit-msg", "post-merge", "post-checkout"]) {
      writeFileSync(join(repo, ".git", "hooks", hook), `#!/bin/sh\ntouch ${marker}\n`);
      chmodSync(join(repo, ".git", "hooks", hook), 0o755);
    }
    sh(repo, "config", "core.fsmonitor", script);
    const wt = join(dir, "wt", "t1");
    await git.addWorktree(wt, "factory/b1/t1", "main");
    writeFileSync(join(wt, "b.txt"), "two\n");
    await git.commitAll(wt, "task", { Bolt: "b1" });
    await git.run(["status"], { workTree: wt });
    expect(existsSync(marker)).toBe(false);
  });

  it("ignores a worktree's .git file when the agent repoints it", async () => {
    const wt = join(dir, "wt", "t1");
    await git.addWorktree(wt, "factory/b1/t1", "main");
    const decoy = join(dir, "decoy");
    mkdirSync(decoy);
    sh(decoy, "init", "-q");
    writeFileSync(join(wt, ".git"), `gitdir: ${join(decoy, ".git")}\n`);
    writeFileSync(join(wt, "c.txt"), "three\n");
    const { commit } = await git.commitAll(wt, "task", { Bolt: "b1" });
    expect(sh(repo, "cat-file", "-t", commit).trim()).toBe("commit");
  });

  it("never runs a nested repository's config, and refuses to commit one", async () => {
    const wt = join(dir, "wt", "t1");
    await git.addWorktree(wt, "factory/b1/t1", "main");
    // What an agent could leave: a repository of its own, whose config names a filter.
    const sub = join(wt, "sub");
    const marker = join(dir, "filter-ran");
    mkdirSync(sub);
    sh(sub, "init", "-q");
    sh(sub, "config", "filter.x.clean", `sh -c 'touch ${marker}; cat'`);
    writeFileSync(join(sub, ".gitattributes"), "* filter=x\n");
    writeFileSync(join(sub, "f.txt"), "x\n");
    sh(sub, "-c", "user.name=a", "-c", "user.email=a@b", "add", ".");
    sh(sub, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "-m", "nested");
    writeFileSync(join(sub, "f.txt"), "changed\n");
    rmSync(marker, { force: true }); // the setup's own `git add` ran it
    expect(await git.changedPaths(wt)).toEqual(["sub/"]);
    await expect(git.commitAll(wt, "work", { Bolt: "b1", Task: "t1" })).rejects.toThrow(
      /nested git repositories.*sub/,
    );
    expect(await git.changedPaths(wt)).toEqual(["sub/"]);
    expect(existsSync(marker)).toBe(false);
    expect(await git.revParse("refs/heads/factory/b1/t1")).toBe(await git.revParse("main"));

    // Had one been committed (by a person, say), looking at the worktree still runs none of it.
    sh(wt, "-c", "user.name=a", "-c", "user.email=a@b", "add", "sub");
    sh(wt, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "-m", "gitlink");
    writeFileSync(join(sub, "f.txt"), "changed again\n");
    rmSync(marker, { force: true });
    await git.changedPaths(wt);
    await git.run(["diff", "--stat"], { workTree: wt });
    expect(existsSync(marker)).toBe(false);
  });
});

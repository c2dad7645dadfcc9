/**
 * Git as the orchestrator runs it, never the agent: every command names its git directory
 * explicitly (never trusting a worktree's `.git` file, which lives where agents write), with
 * hooks and `core.fsmonitor` off, so nothing planted in a worktree or its config runs here.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { WorkError } from "../../common/index.js";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Git {
  /** The product repository's own git directory. */
  readonly gitDir: string;
  /** Runs git against the main repository, or a worktree when `workTree` is given. */
  run(args: string[], options?: { workTree?: string; allowFail?: boolean }): Promise<GitResult>;
  revParse(ref: string): Promise<string | undefined>;
  /** Adds a worktree on `branch` (created from `base` if missing); reuses one already there. */
  addWorktree(path: string, branch: string, base: string): Promise<{ created: boolean }>;
  removeWorktree(path: string): Promise<void>;
  /** Commits everything in the worktree, unless a commit with the same trailers is already on its branch. */
  commitAll(
    workTree: string,
    message: string,
    trailers: Record<string, string>,
  ): Promise<{ commit: string; created: boolean }>;
  /** The newest commit reachable from `ref` whose trailers include all of `trailers`. */
  findCommit(ref: string, trailers: Record<string, string>): Promise<string | undefined>;
  /** Like findCommit, with all of that commit's trailers. */
  findCommitTrailers(
    ref: string,
    trailers: Record<string, string>,
  ): Promise<{ commit: string; trailers: Record<string, string> } | undefined>;
  /** Paths with uncommitted changes in a worktree (tracked or not, ignored files excepted). */
  changedPaths(workTree: string): Promise<string[]>;
  /**
   * Removes `index.lock` files a killed git left behind. Call it only while holding the
   * bolt's lease: then no other git of ours can be using the lock.
   */
  clearStaleLocks(workTree?: string): void;
  /**
   * Merges `branch` into the worktree's branch with one merge commit; on a conflict, aborts and
   * names the files. `created` is false when a merge with these trailers was already there, or
   * when `branch` was already merged (nothing to commit).
   */
  merge(
    workTree: string,
    branch: string,
    message: string,
    trailers: Record<string, string>,
  ): Promise<{ ok: true; commit: string; created: boolean } | { ok: false; conflicts: string[] }>;
}

/** Settings that keep a repository's or worktree's own configuration from running anything. */
const SAFE = [
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "core.fsmonitor=false",
  "-c",
  "core.untrackedCache=false",
  "-c",
  "protocol.allow=never",
  // Never look inside a nested repository an agent made: status and diff would run git in it,
  // under its own config (filters, fsmonitor), outside the sandbox.
  "-c",
  "diff.ignoreSubmodules=all",
  "-c",
  "submodule.recurse=false",
];

export function createGit(options: { repo: string; env?: NodeJS.ProcessEnv }): Git {
  const repo = resolve(options.repo);
  const gitDir = join(repo, ".git");
  if (!existsSync(gitDir)) {
    throw new WorkError("not-a-repository", `${repo} is not a git repository`, {
      hint: "point product.repo at the product's git repository",
    });
  }
  // The orchestrator commits as the factory, whatever the machine's git config says (or lacks):
  // the trailers name the bolt, task and agent.
  const env = {
    ...(options.env ?? process.env),
    GIT_CONFIG_NOSYSTEM: "1",
    // Nor the host user's: its filters and drivers would be selectable by an agent's .gitattributes.
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "darkfactory",
    GIT_AUTHOR_EMAIL: "factory@localhost",
    GIT_COMMITTER_NAME: "darkfactory",
    GIT_COMMITTER_EMAIL: "factory@localhost",
  };

  /** The worktree's admin folder, found from the main git directory (trusted), not from its `.git` file. */
  const adminDirOf = (workTree: string): string => {
    const wanted = realpathSync(workTree);
    const base = join(gitDir, "worktrees");
    for (const name of existsSync(base) ? readdirSync(base) : []) {
      const pointer = join(base, name, "gitdir");
      if (!existsSync(pointer)) continue;
      const dotGit = readFileSync(pointer, "utf8").trim();
      if (existsSync(dirname(dotGit)) && realpathSync(dirname(dotGit)) === wanted)
        return join(base, name);
    }
    throw new WorkError("unknown-worktree", `${workTree} is not a worktree of ${repo}`);
  };

  const run: Git["run"] = (args, runOptions = {}) =>
    new Promise((resolvePromise, reject) => {
      const location = runOptions.workTree
        ? ["--git-dir", adminDirOf(runOptions.workTree), "--work-tree", runOptions.workTree]
        : ["--git-dir", gitDir, "--work-tree", repo];
      execFile(
        "git",
        [...location, ...SAFE, ...args],
        { env, cwd: runOptions.workTree ?? repo, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          if (code !== 0 && !runOptions.allowFail) {
            reject(
              new WorkError(
                "git-failed",
                `git ${args.join(" ")} failed: ${stderr.trim().split("\n").at(-1) ?? ""}`,
              ),
            );
            return;
          }
          resolvePromise({ code, stdout, stderr });
        },
      );
    });

  const revParse: Git["revParse"] = async (ref) => {
    const result = await run(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      allowFail: true,
    });
    return result.code === 0 ? result.stdout.trim() : undefined;
  };

  const findCommitTrailers: Git["findCommitTrailers"] = async (ref, trailers) => {
    if (!(await revParse(ref))) return undefined;
    const log = await run(["log", "--format=%H%x00%(trailers:unfold,only)%x01", ref]);
    for (const record of log.stdout.split("\x01")) {
      const [hash, block] = record.trim().split("\x00");
      if (!hash || !block) continue;
      const found = new Map(
        block
          .split("\n")
          .map((line) => [
            line.slice(0, line.indexOf(":")),
            line.slice(line.indexOf(":") + 1).trim(),
          ]),
      );
      if (Object.entries(trailers).every(([key, value]) => found.get(key) === value))
        return { commit: hash, trailers: Object.fromEntries(found) };
    }
    return undefined;
  };
  const findCommit: Git["findCommit"] = async (ref, trailers) =>
    (await findCommitTrailers(ref, trailers))?.commit;

  // Trailers go in the message itself: `git merge` has no --trailer.
  const withTrailers = (message: string, trailers: Record<string, string>) =>
    `${message.trim()}\n\n${Object.entries(trailers)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n")}\n`;

  return {
    gitDir,
    run,
    revParse,
    findCommit,
    findCommitTrailers,

    async changedPaths(workTree) {
      const status = await run(["status", "--porcelain=v1", "-z", "--untracked-files=all"], {
        workTree,
      });
      return status.stdout
        .split("\0")
        .filter((entry) => entry.length > 3)
        .map((entry) => entry.slice(3));
    },

    clearStaleLocks(workTree) {
      const dir = workTree ? adminDirOf(workTree) : gitDir;
      rmSync(join(dir, "index.lock"), { force: true });
    },

    async addWorktree(path, branch, base) {
      const target = resolve(path);
      if (existsSync(join(target, ".git"))) return { created: false };
      // A kill during a previous `worktree add` leaves a registration with no folder.
      await run(["worktree", "prune"]);
      const hasBranch = (await revParse(`refs/heads/${branch}`)) !== undefined;
      await run(
        hasBranch
          ? ["worktree", "add", target, branch]
          : ["worktree", "add", "-b", branch, target, base],
      );
      return { created: true };
    },

    async removeWorktree(path) {
      const target = resolve(path);
      if (existsSync(target))
        await run(["worktree", "remove", "--force", target], { allowFail: true });
      rmSync(target, { recursive: true, force: true });
      await run(["worktree", "prune"]);
    },

    async commitAll(workTree, message, trailers) {
      const branchHead = (await run(["rev-parse", "HEAD"], { workTree })).stdout.trim();
      const existing = await findCommit(branchHead, trailers);
      if (existing) return { commit: existing, created: false };
      await run(["add", "--all"], { workTree });
      const nested = (await run(["ls-files", "--stage", "-z"], { workTree })).stdout
        .split("\0")
        .filter((entry) => entry.startsWith("160000 "))
        .map((entry) => entry.slice(entry.indexOf("\t") + 1));
      if (nested.length > 0) {
        await run(["reset", "--quiet"], { workTree });
        throw new WorkError(
          "nested-repository",
          `the worktree holds nested git repositories, which the factory does not commit: ${nested.join(", ")}`,
          { hint: "the agent must not create git repositories inside the product" },
        );
      }
      await run(["commit", "--allow-empty", "--no-verify", "-m", withTrailers(message, trailers)], {
        workTree,
      });
      return {
        commit: (await run(["rev-parse", "HEAD"], { workTree })).stdout.trim(),
        created: true,
      };
    },

    async merge(workTree, branch, message, trailers) {
      const head = (await run(["rev-parse", "HEAD"], { workTree })).stdout.trim();
      const existing = await findCommit(head, trailers);
      if (existing) return { ok: true, commit: existing, created: false };
      const result = await run(
        ["merge", "--no-ff", "--no-verify", "-m", withTrailers(message, trailers), branch],
        { workTree, allowFail: true },
      );
      if (result.code === 0) {
        const commit = (await run(["rev-parse", "HEAD"], { workTree })).stdout.trim();
        return { ok: true, commit, created: commit !== head };
      }
      const conflicts = (
        await run(["diff", "--name-only", "--diff-filter=U"], { workTree, allowFail: true })
      ).stdout
        .split("\n")
        .filter(Boolean);
      await run(["merge", "--abort"], { workTree, allowFail: true });
      if (conflicts.length === 0) {
        throw new WorkError(
          "git-failed",
          `git merge ${branch} failed: ${result.stderr.trim().split("\n").at(-1) ?? ""}`,
        );
      }
      return { ok: false, conflicts };
    },
  };
}

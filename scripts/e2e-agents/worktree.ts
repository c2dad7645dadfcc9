/** A throwaway product repository and a fresh worktree of it, as the factory would make. */
import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface E2eWorktree {
  repo: string;
  worktree: string;
  remove(): Promise<void>;
}

export async function createWorktree(): Promise<E2eWorktree> {
  const base = await mkdtemp(join(tmpdir(), "df-e2e-agents-"));
  // The sandbox user must reach the worktree to mount it.
  await chmod(base, 0o755);
  const repo = join(base, "repo");
  await mkdir(repo);
  const git = (cwd: string, ...args: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=e2e", "-c", "user.email=e2e@darkfactory.invalid", ...args],
      { cwd, stdio: "pipe", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: base } },
    );
  git(repo, "init", "-q", "-b", "main");
  await writeFile(join(repo, "README.md"), "# greeter\n\nA product the factory builds.\n");
  git(repo, "add", ".");
  git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "initial");
  const worktree = join(base, "worktree");
  git(repo, "worktree", "add", "-q", "-b", "factory/e2e/t1", worktree);
  return { repo, worktree, remove: () => rm(base, { recursive: true, force: true }) };
}

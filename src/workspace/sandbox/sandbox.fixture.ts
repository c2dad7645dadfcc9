/** Temp folders for the sandbox tests: a factory home with a secret, a git repo and its worktree. */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { grantWorktreeAccess } from "./grant-worktree.js";

export interface SandboxFixture {
  base: string;
  /** A stand-in factory home, world-writable so that only the sandbox stops a write into it. */
  home: string;
  /** World-readable, so that only the sandbox stops a read of it. */
  secretPath: string;
  secretText: string;
  /** The product repository; its git directory must stay out of reach. */
  repo: string;
  worktree: string;
  cleanup: () => Promise<void>;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    "git",
    ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args],
    { cwd, stdio: "pipe", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd } },
  );

export async function createSandboxFixture(): Promise<SandboxFixture> {
  const base = await mkdtemp(join(tmpdir(), "df-sandbox-test-"));
  await chmod(base, 0o755);
  const home = join(base, "home");
  await mkdir(home);
  await chmod(home, 0o777);
  const secretText = `secret-${randomUUID()}`;
  const secretPath = join(home, "secret.txt");
  await writeFile(secretPath, `${secretText}\n`);
  await chmod(secretPath, 0o644);
  const repo = join(base, "repo");
  await mkdir(repo);
  git(repo, "init", "-q", "-b", "main");
  await writeFile(join(repo, "README.md"), "# product\n");
  await mkdir(join(repo, "src"));
  await writeFile(join(repo, "src", "index.ts"), "export {};\n");
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "initial");
  const worktree = join(base, "worktree");
  git(repo, "worktree", "add", "-q", "-b", "factory/b1/t1", worktree);
  await grantWorktreeAccess(worktree);
  return {
    base,
    home,
    secretPath,
    secretText,
    repo,
    worktree,
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}

/** Pids of processes still running (zombies excluded) whose command line contains `marker`. */
export function livingProcesses(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      const state = readFileSync(`/proc/${name}/stat`, "utf8").replace(/^.*\) /s, "")[0];
      if (cmdline.includes(marker) && state !== "Z") found.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** Polls until no process carries `marker`, for up to `ms`; returns the stragglers. */
export async function strayProcesses(marker: string, ms = 2_000): Promise<number[]> {
  const until = Date.now() + ms;
  let found = livingProcesses(marker);
  while (found.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    found = livingProcesses(marker);
  }
  return found;
}

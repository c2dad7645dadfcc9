/** Test fixture: a real git repository with a worktree, and a "home" with a secret beside it. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createFileTools } from "./create-file-tools.js";
import type { FileTools, FileToolsOptions, Refusal } from "./types.js";

export const SECRET = "TOP SECRET: factory signing key\n";

export interface WorktreeFixture {
  base: string;
  repo: string;
  worktree: string;
  home: string;
  secretFile: string;
  tools: FileTools;
  refusals: Refusal[];
  /** A fresh set of tools on the same worktree, with other options. */
  toolsWith(options: Omit<FileToolsOptions, "worktree" | "onRefusal">): FileTools;
  /** Every file and directory under `home`, to prove nothing was added there. */
  homeListing(): string[];
  cleanup(): void;
}

const FILES: Record<string, string> = {
  "README.md": "# Product\n\nHello world.\n",
  "src/app.ts":
    'export const greeting = "hello";\nexport function main() {\n  return greeting;\n}\n',
  "src/util/math.ts": "export const add = (a: number, b: number) => a + b;\n// TODO: subtract\n",
  "docs/guide.md": "hello again\nTODO: write the guide\n",
};

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd,
    stdio: "ignore",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  });
}

function listTree(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = `${prefix}${entry.name}`;
    return entry.isDirectory() ? [rel, ...listTree(join(dir, entry.name), `${rel}/`)] : [rel];
  });
}

export function createWorktreeFixture(): WorktreeFixture {
  const base = mkdtempSync(join(tmpdir(), "df-files-"));
  const repo = join(base, "repo");
  const worktree = join(base, "wt");
  const home = join(base, "home");
  mkdirSync(repo);
  mkdirSync(home);
  const secretFile = join(home, "secret.txt");
  writeFileSync(secretFile, SECRET);
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "initial");
  git(repo, "worktree", "add", "-q", "-b", "factory/b1/t1", worktree);
  const refusals: Refusal[] = [];
  const toolsWith = (options: Omit<FileToolsOptions, "worktree" | "onRefusal">) =>
    createFileTools({ worktree, onRefusal: (refusal) => refusals.push(refusal), ...options });
  return {
    base,
    repo,
    worktree,
    home,
    secretFile,
    tools: toolsWith({}),
    refusals,
    toolsWith,
    homeListing: () => listTree(home).sort(),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

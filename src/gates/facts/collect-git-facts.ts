/** Everything git alone can say about a change; registry, analysis and the rest come from elsewhere. */
import type { ChangeSummary, SecretFinding, TestFacts } from "./change-facts.js";
import { type AddedDependency, readDependencyDiff } from "./dependency-diff.js";
import { type DiffChangeOptions, summarizeChange } from "./diff-change.js";
import { lineDiff } from "./line-diff.js";
import { openChange } from "./open-repo.js";
import { MAX_CONTENT_BYTES, readChangeContents } from "./read-change-contents.js";
import { scanSecrets } from "./secret-scan.js";
import { testFacts } from "./test-facts.js";

export interface CollectGitFactsOptions extends DiffChangeOptions {
  /** Which paths are tests; `*.test.*`, `*.spec.*`, `test/`, `tests/`, `__tests__/` by default. */
  isTestFile?: (path: string) => boolean;
  /** Files larger than this are neither read for tests nor scanned for secrets (1 MB). */
  maxFileBytes?: number;
}

export interface GitFacts {
  change: ChangeSummary;
  tests: TestFacts;
  dependencies: {
    added: AddedDependency[];
    removed: string[];
    changed: string[];
    lock_added: string[];
  };
  secrets: SecretFinding[];
  /** What could not be checked, in words (a malformed package.json, a file too large to read). */
  problems: string[];
}

/** Lock files are generated, and full of hashes that look like secrets to a scanner. */
const LOCK_FILES = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lock",
  "bun.lockb",
]);
const isLockFile = (path: string) => LOCK_FILES.has(path.slice(path.lastIndexOf("/") + 1));

/**
 * The facts about `base...head` that come from git: what it touches, whether it weakens the
 * tests, which dependencies it adds, and the secrets on its added lines. Throws InputError
 * for a folder that is not a repository or a revision that does not exist.
 */
export async function collectGitFacts(
  repoDir: string,
  base: string,
  head: string,
  options: CollectGitFactsOptions,
): Promise<GitFacts> {
  const repo = await openChange(repoDir, base, head);
  const change = await summarizeChange(repo, options);
  const maxBytes = options.maxFileBytes ?? MAX_CONTENT_BYTES;
  const contents = await readChangeContents(repo, change.files, { maxBytes });
  const { problems, ...dependencies } = await readDependencyDiff(repo);

  for (const file of contents)
    if (file.skipped === "too-large" && file.status !== "deleted")
      problems.push(
        `${file.path} is larger than ${maxBytes} bytes: not read for test changes or secrets`,
      );

  const tests = testFacts(
    contents.map((file) => ({
      path: file.path,
      from: file.from,
      status: file.status,
      before: file.before,
      after: file.after,
    })),
    options.isTestFile,
  );
  const secrets = await scanSecrets(
    contents
      .filter((file) => file.after !== undefined && !isLockFile(file.path))
      .map((file) => ({
        path: file.path,
        text: file.after ?? "",
        addedLines: new Set(lineDiff(file.before, file.after).added.map((l) => l.line)),
      })),
  );
  return { change, tests, dependencies, secrets, problems };
}

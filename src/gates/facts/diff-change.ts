/** What a change touches, file by file, from git's own diff. */
import type { ChangedFile, ChangeSummary, FileStatus } from "./change-facts.js";
import { matchingPaths } from "./glob.js";
import { type ChangeRepo, openChange } from "./open-repo.js";

export interface DiffChangeOptions {
  /** Globs for paths whose change needs extra care (CI config, auth code, migrations). */
  protectedPaths: string[];
  /** Globs for build and deploy paths (Dockerfiles, IaC). */
  infrastructurePaths: string[];
}

/** Flags that keep diff output plain and free of anything the repository could configure. */
export const DIFF_FLAGS = ["--no-color", "--no-ext-diff", "--no-textconv", "-M", "-z"];

/**
 * The change `head` makes since it branched from `base` (like `git diff base...head`): commits
 * on `base` after the branch point are not part of it. `base` in the result is the merge base's
 * commit id and `head` is head's. Throws InputError for a folder that is not a repository or a
 * revision that does not exist.
 */
export async function diffChange(
  repoDir: string,
  base: string,
  head: string,
  options: DiffChangeOptions,
): Promise<ChangeSummary> {
  return summarizeChange(await openChange(repoDir, base, head), options);
}

/** `diffChange` for a repository already opened. */
export async function summarizeChange(
  repo: ChangeRepo,
  options: DiffChangeOptions,
): Promise<ChangeSummary> {
  const range = [repo.mergeBase, repo.head];
  const [names, numbers] = await Promise.all([
    repo.git.run(["diff", ...DIFF_FLAGS, "--name-status", ...range, "--"]),
    repo.git.run(["diff", ...DIFF_FLAGS, "--numstat", ...range, "--"]),
  ]);
  const counts = parseNumstat(numbers.stdout);
  const files = parseNameStatus(names.stdout).map((file): ChangedFile => {
    const count = counts.get(file.path);
    return {
      ...file,
      additions: count?.additions ?? 0,
      deletions: count?.deletions ?? 0,
      binary: count?.binary ?? false,
    };
  });
  const paths = unique(files.flatMap((f) => (f.from ? [f.from, f.path] : [f.path])));
  return {
    base: repo.mergeBase,
    head: repo.head,
    files,
    added: files.filter((f) => f.status === "added").map((f) => f.path),
    modified: files
      .filter((f) => f.status === "modified" || f.status === "renamed")
      .map((f) => f.path),
    deleted: files.filter((f) => f.status === "deleted").map((f) => f.path),
    paths,
    lines_added: files.reduce((sum, f) => sum + f.additions, 0),
    lines_deleted: files.reduce((sum, f) => sum + f.deletions, 0),
    protected: matchingPaths(paths, options.protectedPaths),
    infrastructure: matchingPaths(paths, options.infrastructurePaths),
  };
}

type NamedFile = Pick<ChangedFile, "path" | "status" | "from">;

/** `--name-status -z`: a status, then one path, or two for renames and copies. */
export function parseNameStatus(output: string): NamedFile[] {
  const fields = output.split("\0");
  const files: NamedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++] ?? "";
    if (!code) continue;
    const letter = code.charAt(0);
    if (letter === "R" || letter === "C") {
      const from = fields[i++] ?? "";
      const path = fields[i++] ?? "";
      files.push(
        letter === "R" ? { path, status: "renamed", from } : { path, status: "added", from: "" },
      );
    } else {
      files.push({ path: fields[i++] ?? "", status: statusOf(letter), from: "" });
    }
  }
  return files;
}

function statusOf(letter: string): FileStatus {
  if (letter === "A") return "added";
  if (letter === "D") return "deleted";
  // M, T (type change), U and anything newer: the path is there on both sides.
  return "modified";
}

/** `--numstat -z`: counts and a path, or counts, an empty field and two paths for a rename. */
export function parseNumstat(
  output: string,
): Map<string, { additions: number; deletions: number; binary: boolean }> {
  const fields = output.split("\0");
  const counts = new Map<string, { additions: number; deletions: number; binary: boolean }>();
  for (let i = 0; i < fields.length; ) {
    const record = fields[i++] ?? "";
    if (!record) continue;
    const [added = "", deleted = "", inline = ""] = record.split("\t");
    let path = inline;
    if (inline === "") {
      i++; // the old name of a rename
      path = fields[i++] ?? "";
    }
    const binary = added === "-" && deleted === "-";
    counts.set(path, {
      additions: binary ? 0 : Number(added),
      deletions: binary ? 0 : Number(deleted),
      binary,
    });
  }
  return counts;
}

const unique = (values: string[]): string[] => [...new Set(values)];

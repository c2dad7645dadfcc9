/** The text of changed files on both sides of a change, for the checks that read contents. */
import type { ChangedFile } from "./change-facts.js";
import type { ChangeRepo } from "./open-repo.js";

/** Files larger than this are not read: they are rarely source, and reading them is slow. */
export const MAX_CONTENT_BYTES = 1024 * 1024;

export interface ChangeContents {
  path: string;
  /** For a rename, the old path; "" otherwise. */
  from: string;
  status: ChangedFile["status"];
  /** The text at the merge base; undefined when the file did not exist there or was skipped. */
  before: string | undefined;
  /** The text at head; undefined when the file is deleted or was skipped. */
  after: string | undefined;
  /** Why the contents were not read: "" when they were. */
  skipped: "" | "binary" | "too-large";
}

/** Reads each changed file's text at the merge base and at head, skipping binary and large files. */
export async function readChangeContents(
  repo: ChangeRepo,
  files: readonly ChangedFile[],
  options: { maxBytes?: number } = {},
): Promise<ChangeContents[]> {
  const maxBytes = options.maxBytes ?? MAX_CONTENT_BYTES;
  const out: ChangeContents[] = [];
  for (const file of files) {
    const entry: ChangeContents = {
      path: file.path,
      from: file.from,
      status: file.status,
      before: undefined,
      after: undefined,
      skipped: file.binary ? "binary" : "",
    };
    if (!file.binary) {
      const beforePath = file.from || file.path;
      const before: Blob =
        file.status === "added"
          ? { kind: "absent" }
          : await readAt(repo, repo.mergeBase, beforePath, maxBytes);
      const after: Blob =
        file.status === "deleted"
          ? { kind: "absent" }
          : await readAt(repo, repo.head, file.path, maxBytes);
      if (before.kind === "too-large" || after.kind === "too-large") entry.skipped = "too-large";
      else {
        entry.before = before.kind === "text" ? before.text : undefined;
        entry.after = after.kind === "text" ? after.text : undefined;
      }
    }
    out.push(entry);
  }
  return out;
}

export type Blob = { kind: "text"; text: string } | { kind: "absent" } | { kind: "too-large" };

/** A file's text at a commit, or why there is none. */
export async function readAt(
  repo: ChangeRepo,
  commit: string,
  path: string,
  maxBytes = MAX_CONTENT_BYTES,
): Promise<Blob> {
  const spec = `${commit}:${path}`;
  const size = await repo.git.run(["cat-file", "-s", spec], { allowFail: true });
  if (size.code !== 0) return { kind: "absent" };
  if (Number(size.stdout.trim()) > maxBytes) return { kind: "too-large" };
  // cat-file, not show: show would apply textconv filters from .gitattributes.
  return { kind: "text", text: (await repo.git.run(["cat-file", "blob", spec])).stdout };
}

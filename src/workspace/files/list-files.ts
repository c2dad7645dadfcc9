/** `list`: the entries of a worktree directory, never `.git`, never following symlinks. */
import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { count, ok, type ToolContext } from "./context.js";
import { isGitSegment, resolveForRead } from "./resolve-path.js";
import type { ListEntry, ListOptions, ListValue, ToolResult } from "./types.js";

/** Directories a recursive listing shows but does not descend into. */
const NOT_DESCENDED = new Set(["node_modules"]);

function childPath(parent: string, name: string): string {
  return parent === "." ? name : `${parent}/${name}`;
}

/** Directory entries sorted by name, without `.git`. */
export async function readEntries(real: string): Promise<Dirent[]> {
  const entries = await readdir(real, { withFileTypes: true });
  return entries
    .filter((entry) => !isGitSegment(entry.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function listFiles(
  ctx: ToolContext,
  path = ".",
  options: ListOptions = {},
): Promise<ToolResult<ListValue>> {
  const target = await resolveForRead(ctx, path);
  if (!target.ok) return target;
  const { real, rel } = target.value;
  const stat = await lstat(real);
  if (!stat.isDirectory()) {
    return ok({ entries: [{ path: rel, kind: "file", size: stat.size }], truncated: false });
  }
  const maxEntries = count(options.maxEntries, 1000);
  const entries: ListEntry[] = [];
  // Breadth first, so a truncated listing still shows the top of the tree.
  const top = { real, rel };
  const queue = [top];
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    // An unreadable subdirectory is listed but not entered; only the first one must open.
    const children =
      dir === top ? await readEntries(dir.real) : await readEntries(dir.real).catch(() => []);
    for (const entry of children) {
      if (entries.length >= maxEntries) return ok({ entries, truncated: true });
      const entryReal = join(dir.real, entry.name);
      const entryRel = childPath(dir.rel, entry.name);
      if (entry.isSymbolicLink()) {
        entries.push({ path: entryRel, kind: "symlink", size: 0 });
      } else if (entry.isDirectory()) {
        entries.push({ path: entryRel, kind: "dir", size: 0 });
        if (options.recursive && !NOT_DESCENDED.has(entry.name)) {
          queue.push({ real: entryReal, rel: entryRel });
        }
      } else if (entry.isFile()) {
        const size = (await lstat(entryReal).catch(() => undefined))?.size ?? 0;
        entries.push({ path: entryRel, kind: "file", size });
      }
    }
  }
  return ok({ entries, truncated: false });
}

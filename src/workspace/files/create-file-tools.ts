/** Composes the file tools over one worktree, reporting every refusal to the caller. */
import { realpathSync } from "node:fs";
import { isAbsolute } from "node:path";
import { InputError } from "../../common/index.js";
import { shown, type ToolContext } from "./context.js";
import { editFile } from "./edit-file.js";
import { listFiles } from "./list-files.js";
import { readFile } from "./read-file.js";
import { searchFiles } from "./search-files.js";
import type { FileToolName, FileTools, FileToolsOptions, ToolError, ToolResult } from "./types.js";
import { writeFile } from "./write-file.js";

const MIB = 1024 * 1024;

/** What the file system said, as a refusal; undefined for faults that are not the agent's doing. */
function fromErrno(error: unknown, path: string): ToolError | undefined {
  const name = shown(path);
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case "ENOENT":
      return { reason: "not-found", message: `${name}: no such file or directory` };
    case "ENOTDIR":
      return { reason: "not-found", message: `${name}: a parent is not a directory` };
    case "EISDIR":
      return { reason: "not-found", message: `${name}: is a directory` };
    case "EEXIST":
      return { reason: "not-found", message: `${name}: changed while writing, try again` };
    case "ENXIO":
      return { reason: "not-found", message: `${name}: not a regular file` };
    case "EACCES":
    case "EPERM":
      return { reason: "not-found", message: `${name}: permission denied` };
    case "ELOOP":
      return { reason: "symlink", message: `${name}: refused to follow a symlink` };
    case "ENAMETOOLONG":
      return { reason: "outside", message: `${name}: path too long` };
    default:
      return undefined;
  }
}

/**
 * The read, list, search, write and edit tools of one worktree. Every path is confined to
 * the worktree (see resolve-path.ts); every refusal is passed to `onRefusal` and returned,
 * never thrown. Only faults of the factory itself (a full disk, an IO error) throw.
 */
export function createFileTools(options: FileToolsOptions): FileTools {
  if (!isAbsolute(options.worktree)) {
    throw new InputError("worktree-not-absolute", `worktree must be absolute: ${options.worktree}`);
  }
  const ctx: ToolContext = {
    root: realpathSync(options.worktree),
    given: options.worktree,
    maxReadBytes: options.maxReadBytes ?? MIB,
    maxWriteBytes: options.maxWriteBytes ?? 2 * MIB,
  };

  async function run<T>(
    tool: FileToolName,
    path: string,
    call: () => Promise<ToolResult<T>>,
  ): Promise<ToolResult<T>> {
    let result: ToolResult<T>;
    try {
      result = await call();
    } catch (error) {
      const refusal = fromErrno(error, path);
      if (refusal === undefined) throw error;
      result = { ok: false, error: refusal };
    }
    if (!result.ok) options.onRefusal?.({ tool, path: shown(path), ...result.error });
    return result;
  }

  return {
    worktree: ctx.root,
    read: (path, readOptions) => run("read", path, () => readFile(ctx, path, readOptions)),
    list: (path = ".", listOptions) => run("list", path, () => listFiles(ctx, path, listOptions)),
    search: (pattern, searchOptions) =>
      run("search", searchOptions?.path ?? ".", () => searchFiles(ctx, pattern, searchOptions)),
    write: (path, content) => run("write", path, () => writeFile(ctx, path, content)),
    edit: (path, editOptions) => run("edit", path, () => editFile(ctx, path, editOptions)),
  };
}

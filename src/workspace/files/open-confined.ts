/**
 * Opening files already resolved by resolve-path, closing the cheap races: the last
 * component is opened with O_NOFOLLOW, and the opened file must be the one that was checked.
 */
import { constants, type Stats } from "node:fs";
import { lstat, mkdir, open, realpath } from "node:fs/promises";
import { dirname } from "node:path";
import { fail, ok, shown } from "./context.js";
import type { WriteTarget } from "./resolve-path.js";
import type { ToolResult } from "./types.js";

// O_NONBLOCK keeps a FIFO planted in the worktree from hanging the factory on open.
const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = constants;

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * Reads a regular file of at most `maxBytes`, given its symlink-free absolute path. After
 * opening, the path must still be symlink-free and name the opened file, so a symlink
 * swapped in since the path was resolved is caught before a byte is read.
 */
export async function readConfined(
  real: string,
  rel: string,
  maxBytes: number,
): Promise<ToolResult<Buffer>> {
  const handle = await open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!sameFile(stat, await lstat(real)) || (await realpath(real)) !== real) {
      return fail("symlink", `${shown(rel)}: changed while opening`);
    }
    if (stat.isDirectory()) return fail("not-found", `${shown(rel)}: is a directory`);
    if (!stat.isFile()) return fail("not-found", `${shown(rel)}: not a regular file`);
    if (stat.size > maxBytes) {
      return fail("too-large", `${shown(rel)}: ${stat.size} bytes, more than ${maxBytes}`);
    }
    // Read to the end, not to the size fstat gave: the file may be growing.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(length < stat.size ? stat.size - length + 1 : 65_536);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, length);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes) return fail("too-large", `${shown(rel)}: more than ${maxBytes} bytes`);
    }
    return ok(Buffer.concat(chunks, length));
  } finally {
    await handle.close();
  }
}

/**
 * Writes `data` to a target from `resolveForWrite`, creating missing parent directories.
 * Nothing is written until the opened file is known to be the checked one; a race lost to a
 * symlink swapped in at most leaves an empty file.
 */
export async function writeConfined(target: WriteTarget, data: Buffer): Promise<ToolResult<void>> {
  const { abs, rel, existing } = target;
  const parent = dirname(abs);
  const moved = fail<void>("symlink", `${shown(rel)}: a symlink appeared while writing`);
  if (existing === undefined) await mkdir(parent, { recursive: true });
  if ((await realpath(parent)) !== parent) return moved;
  const flags =
    existing === undefined
      ? O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
      : O_WRONLY | O_NOFOLLOW | O_NONBLOCK;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(abs, flags, 0o666);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return moved;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return fail("not-found", `${shown(rel)}: not a regular file`);
    if (existing !== undefined && !sameFile(stat, existing)) return moved;
    if (!sameFile(stat, await lstat(abs)) || (await realpath(parent)) !== parent) return moved;
    await handle.truncate(0);
    await handle.writeFile(data);
    return ok(undefined);
  } finally {
    await handle.close();
  }
}

/** `read`: a text file of the worktree, whole or a range of lines. */
import { count, fail, isBinary, ok, shown, type ToolContext } from "./context.js";
import { readConfined } from "./open-confined.js";
import { resolveForRead } from "./resolve-path.js";
import type { ReadOptions, ReadValue, ToolResult } from "./types.js";

/** Lines with their endings kept, so joining a slice gives the file's bytes back. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export async function readFile(
  ctx: ToolContext,
  path: string,
  options: ReadOptions = {},
): Promise<ToolResult<ReadValue>> {
  const target = await resolveForRead(ctx, path);
  if (!target.ok) return target;
  const { real, rel } = target.value;
  const data = await readConfined(real, rel, ctx.maxReadBytes);
  if (!data.ok) return data;
  if (isBinary(data.value)) return fail("binary", `${shown(rel)}: binary file`);
  const all = splitLines(data.value.toString("utf8"));
  const start = Math.max(1, count(options.offset, 1)) - 1;
  const end = options.limit === undefined ? all.length : start + count(options.limit, 0);
  return ok({
    path: rel,
    content: all.slice(start, end).join(""),
    lines: all.length,
    truncated: end < all.length,
  });
}

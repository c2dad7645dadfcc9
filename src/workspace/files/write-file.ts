/** `write`: replaces or creates a file of the worktree, creating its parent directories. */
import { fail, ok, shown, type ToolContext } from "./context.js";
import { writeConfined } from "./open-confined.js";
import { resolveForWrite } from "./resolve-path.js";
import type { ToolResult, WriteValue } from "./types.js";

export async function writeFile(
  ctx: ToolContext,
  path: string,
  content: string,
): Promise<ToolResult<WriteValue>> {
  const data = Buffer.from(content, "utf8");
  if (data.length > ctx.maxWriteBytes) {
    return fail(
      "too-large",
      `${shown(path)}: ${data.length} bytes, more than ${ctx.maxWriteBytes}`,
    );
  }
  const target = await resolveForWrite(ctx, path);
  if (!target.ok) return target;
  const written = await writeConfined(target.value, data);
  if (!written.ok) return written;
  return ok({
    path: target.value.rel,
    bytes: data.length,
    created: target.value.existing === undefined,
  });
}

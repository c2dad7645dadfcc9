/** `edit`: exact-match replacement in a file of the worktree. */
import { closestLine } from "./closest-line.js";
import { fail, isBinary, ok, shown, type ToolContext } from "./context.js";
import { readConfined, writeConfined } from "./open-confined.js";
import { resolveForWrite } from "./resolve-path.js";
import type { EditOptions, EditValue, ToolResult } from "./types.js";

function occurrences(text: string, needle: string): number {
  let found = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    found++;
  }
  return found;
}

export async function editFile(
  ctx: ToolContext,
  path: string,
  options: EditOptions,
): Promise<ToolResult<EditValue>> {
  const { oldText, newText, replaceAll = false } = options;
  if (typeof oldText !== "string" || typeof newText !== "string") {
    return fail("no-match", "oldText and newText must be strings");
  }
  if (oldText === "") return fail("no-match", "oldText is empty; use write to create a file");
  const target = await resolveForWrite(ctx, path);
  if (!target.ok) return target;
  const { abs, rel, existing } = target.value;
  const name = shown(rel);
  if (existing === undefined) return fail("not-found", `${name}: no such file`);
  const data = await readConfined(abs, rel, ctx.maxReadBytes);
  if (!data.ok) return data;
  if (isBinary(data.value)) return fail("binary", `${name}: binary file`);
  const text = data.value.toString("utf8");
  const found = occurrences(text, oldText);
  if (found === 0) {
    const near = closestLine(text, oldText);
    const hint = near ? `; closest line ${near.line}: ${JSON.stringify(near.text)}` : "";
    return fail("no-match", `${name}: oldText not found${hint}`);
  }
  if (found > 1 && !replaceAll) {
    return fail(
      "ambiguous",
      `${name}: oldText matches ${found} times; add surrounding lines or set replaceAll`,
    );
  }
  // split/join, not String.replace, so `$&` and friends in newText stay literal.
  const at = text.indexOf(oldText);
  const updated = replaceAll
    ? text.split(oldText).join(newText)
    : text.slice(0, at) + newText + text.slice(at + oldText.length);
  const bytes = Buffer.from(updated, "utf8");
  if (bytes.length > ctx.maxWriteBytes) {
    return fail(
      "too-large",
      `${name}: the edit makes ${bytes.length} bytes, more than ${ctx.maxWriteBytes}`,
    );
  }
  const written = await writeConfined(target.value, bytes);
  return written.ok ? ok({ path: rel, replacements: found }) : written;
}

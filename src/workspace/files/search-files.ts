/** `search`: lines matching a literal or a regex across the worktree's text files. */
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { count, fail, isBinary, ok, shown, type ToolContext } from "./context.js";
import { globMatcher } from "./glob.js";
import { readEntries } from "./list-files.js";
import { readConfined } from "./open-confined.js";
import { splitLines } from "./read-file.js";
import { resolveForRead } from "./resolve-path.js";
import type { SearchMatch, SearchOptions, SearchValue, ToolResult } from "./types.js";

const SKIPPED_DIRS = new Set(["node_modules"]);
const MAX_LINE_CHARS = 1000;

interface FileRef {
  real: string;
  rel: string;
}

/** Regular files under a directory, depth first by name; symlinks are never followed. */
async function* walkFiles(dir: FileRef): AsyncGenerator<FileRef> {
  const entries = await readEntries(dir.real).catch(() => []);
  for (const entry of entries) {
    const child = {
      real: join(dir.real, entry.name),
      rel: dir.rel === "." ? entry.name : `${dir.rel}/${entry.name}`,
    };
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) yield* walkFiles(child);
    else if (entry.isFile()) yield child;
  }
}

function lineTester(
  pattern: string,
  regex: boolean | undefined,
): ToolResult<(line: string) => boolean> {
  if (pattern === "") return fail("no-match", "the search pattern is empty");
  if (!regex) return ok((line) => line.includes(pattern));
  try {
    const compiled = new RegExp(pattern);
    return ok((line) => compiled.test(line));
  } catch (error) {
    return fail("no-match", `invalid regular expression: ${(error as Error).message}`);
  }
}

export async function searchFiles(
  ctx: ToolContext,
  pattern: string,
  options: SearchOptions = {},
): Promise<ToolResult<SearchValue>> {
  const test = lineTester(pattern, options.regex);
  if (!test.ok) return test;
  const target = await resolveForRead(ctx, options.path ?? ".");
  if (!target.ok) return target;
  const start = target.value;
  const isDirectory = (await lstat(start.real)).isDirectory();
  const files = isDirectory ? walkFiles(start) : [start];
  const wanted = options.glob === undefined ? () => true : globMatcher(options.glob);
  const maxMatches = count(options.maxMatches, 200);
  const matches: SearchMatch[] = [];
  for await (const file of files) {
    if (!wanted(file.rel)) continue;
    const read = readConfined(file.real, file.rel, ctx.maxReadBytes);
    // Files met on the walk are skipped quietly; a file named explicitly says why it is not searched.
    const data = isDirectory ? await read.catch(() => undefined) : await read;
    const text = data?.ok && !isBinary(data.value) ? data.value.toString("utf8") : undefined;
    if (text === undefined) {
      if (isDirectory || data === undefined) continue;
      return data.ok ? fail("binary", `${shown(file.rel)}: binary file`) : data;
    }
    const lines = splitLines(text);
    for (const [index, raw] of lines.entries()) {
      const line = raw.replace(/\r?\n$/, "");
      if (!test.value(line)) continue;
      if (matches.length >= maxMatches) return ok({ matches, truncated: true });
      matches.push({ path: file.rel, line: index + 1, text: line.slice(0, MAX_LINE_CHARS) });
    }
  }
  return ok({ matches, truncated: false });
}

/**
 * Path confinement: every agent path is checked here before any file is opened. A path is
 * refused when it leaves the worktree lexically, through a symlink, or touches `.git`.
 */
import type { Stats } from "node:fs";
import { lstat, realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fail, ok, shown, type ToolContext } from "./context.js";
import type { ToolResult } from "./types.js";

const MAX_PATH_CHARS = 4096;
const MAX_SEGMENT_CHARS = 255;

interface Lexical {
  /** Absolute, under `ctx.root`, not yet checked for symlinks. */
  abs: string;
  /** Relative to the worktree, `/`-separated, `.` for the worktree itself. */
  rel: string;
  segments: string[];
}

export interface ReadTarget {
  /** Absolute path with every symlink resolved; inside the worktree and outside `.git`. */
  real: string;
  rel: string;
}

export interface WriteTarget {
  /** Absolute path with no symlink in it (checked component by component). */
  abs: string;
  rel: string;
  /** The existing file, when there is one. */
  existing: Stats | undefined;
}

export function isGitSegment(name: string): boolean {
  return name.toLowerCase() === ".git";
}

/** `target` relative to `base`, or undefined when it is not inside `base`. */
function inside(base: string, target: string): string | undefined {
  const rel = relative(base, target);
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel;
}

function lexical(ctx: ToolContext, input: unknown): ToolResult<Lexical> {
  if (typeof input !== "string") return fail("outside", "path must be a string");
  const name = shown(input);
  if (input.includes("\0")) return fail("outside", `${name}: path contains a NUL byte`);
  if (input.length > MAX_PATH_CHARS) {
    return fail("outside", `${name}: path is longer than ${MAX_PATH_CHARS} characters`);
  }
  let rel = inside(ctx.root, resolve(ctx.root, input));
  if (rel === undefined && isAbsolute(input)) rel = inside(ctx.given, resolve(input));
  if (rel === undefined) return fail("outside", `${name}: path leaves the worktree`);
  const segments = rel === "" ? [] : rel.split(sep);
  if (segments.some((segment) => segment.length > MAX_SEGMENT_CHARS)) {
    return fail("outside", `${name}: a path segment is longer than ${MAX_SEGMENT_CHARS}`);
  }
  if (segments.some(isGitSegment)) return fail("git", `${name}: .git is off limits`);
  return ok({ abs: join(ctx.root, ...segments), rel: segments.join("/") || ".", segments });
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Stats of the existing prefixes of the path, up to the first missing one, symlink or file. */
async function walk(ctx: ToolContext, segments: string[]): Promise<Stats[]> {
  const stats: Stats[] = [];
  for (let i = 1; i <= segments.length; i++) {
    const stat = await lstatOrUndefined(join(ctx.root, ...segments.slice(0, i)));
    if (stat === undefined) break;
    stats.push(stat);
    if (!stat.isDirectory()) break;
  }
  return stats;
}

/**
 * Where a path through a symlink really leads, or why it may not be followed. When it leads
 * nowhere, "not-found" is said only when the part that resolves stays inside the worktree,
 * so an agent cannot probe which files exist outside it.
 */
async function followSymlinks(ctx: ToolContext, lex: Lexical): Promise<ToolResult<string>> {
  const name = shown(lex.rel);
  const real = await realpath(lex.abs).catch(() => undefined);
  if (real === undefined) {
    for (let path = lex.abs; inside(ctx.root, path) !== undefined; path = dirname(path)) {
      const resolved = await realpath(path).catch(() => undefined);
      if (resolved !== undefined) {
        return inside(ctx.root, resolved) === undefined
          ? fail("symlink", `${name}: a symlink leads outside the worktree`)
          : fail("not-found", `${name}: no such file or directory`);
      }
      if ((await lstat(path).catch(() => undefined)) !== undefined) break;
    }
    return fail("symlink", `${name}: goes through a broken symlink`);
  }
  const realRel = inside(ctx.root, real);
  if (realRel === undefined) {
    return fail("symlink", `${name}: a symlink leads outside the worktree`);
  }
  if (realRel.split(sep).some(isGitSegment)) {
    return fail("git", `${name}: a symlink leads into .git`);
  }
  return ok(real);
}

/** Resolves a path to read or list. Symlinks are followed only while they stay inside. */
export async function resolveForRead(
  ctx: ToolContext,
  input: unknown,
): Promise<ToolResult<ReadTarget>> {
  const lex = lexical(ctx, input);
  if (!lex.ok) return lex;
  const { abs, rel, segments } = lex.value;
  const stats = await walk(ctx, segments);
  if (stats.at(-1)?.isSymbolicLink()) {
    const real = await followSymlinks(ctx, lex.value);
    return real.ok ? ok({ real: real.value, rel }) : real;
  }
  if (stats.length < segments.length) {
    return fail("not-found", `${shown(rel)}: no such file or directory`);
  }
  return ok({ real: abs, rel });
}

/** Resolves a path to write. Writes never go through a symlink, wherever it points. */
export async function resolveForWrite(
  ctx: ToolContext,
  input: unknown,
): Promise<ToolResult<WriteTarget>> {
  const lex = lexical(ctx, input);
  if (!lex.ok) return lex;
  const { abs, rel, segments } = lex.value;
  const name = shown(rel);
  if (segments.length === 0) return fail("not-found", "the worktree itself is a directory");
  const stats = await walk(ctx, segments);
  if (stats.at(-1)?.isSymbolicLink()) {
    return fail("symlink", `${name}: writes never go through a symlink`);
  }
  const last = stats.length === segments.length ? stats.at(-1) : undefined;
  if (stats.length < segments.length && stats.length > 0 && !stats.at(-1)?.isDirectory()) {
    return fail(
      "not-found",
      `${name}: ${segments.slice(0, stats.length).join("/")} is not a directory`,
    );
  }
  if (last?.isDirectory()) return fail("not-found", `${name}: is a directory`);
  if (last !== undefined && !last.isFile()) return fail("not-found", `${name}: not a regular file`);
  // Belt and braces: the deepest existing directory must really be where we think it is.
  const deepest = join(ctx.root, ...segments.slice(0, Math.min(stats.length, segments.length - 1)));
  if ((await realpath(deepest)) !== deepest) {
    return fail("symlink", `${name}: a parent directory resolves elsewhere`);
  }
  return ok({ abs, rel, existing: last });
}

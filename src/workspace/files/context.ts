/** What every file tool shares: the confined root, the limits, and small result helpers. */
import type { RefusalReason, ToolResult } from "./types.js";

export interface ToolContext {
  /** The worktree with every symlink resolved; all confinement checks compare against it. */
  root: string;
  /** The worktree as the caller spelled it, so absolute paths under it are accepted too. */
  given: string;
  maxReadBytes: number;
  maxWriteBytes: number;
}

export function fail<T = never>(reason: RefusalReason, message: string): ToolResult<T> {
  return { ok: false, error: { reason, message } };
}

export function ok<T>(value: T): ToolResult<T> {
  return { ok: true, value };
}

/** A non-negative whole number from an agent-supplied option, or the fallback. */
export function count(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0
    ? Math.floor(value)
    : fallback;
}

/** A path fit for a message or the audit log: huge paths are clipped, NUL bytes made visible. */
export function shown(path: unknown): string {
  const text = typeof path === "string" ? path : String(path);
  const clipped = text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
  return clipped.replaceAll("\0", "\\0");
}

/** Binary means a NUL byte in the first 8 KiB. */
export function isBinary(data: Buffer): boolean {
  return data.subarray(0, 8192).includes(0);
}

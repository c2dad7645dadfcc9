/** Method parameters as Slack reads them, and its cursor pagination. */
import { type Params, SlackApiError } from "./method.js";

export function str(params: Params, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

export function bool(params: Params, key: string, fallback: boolean): boolean {
  const value = params[key];
  if (value === undefined || value === null || value === "") return fallback;
  if (typeof value === "boolean") return value;
  return value === "true" || value === "1" || value === 1;
}

export function limitOf(params: Params, fallback: number, max: number): number {
  const raw = Number(params.limit);
  if (!Number.isFinite(raw) || raw <= 0) return fallback;
  return Math.min(Math.floor(raw), max);
}

export function encodeCursor(kind: string, value: string): string {
  return Buffer.from(`${kind}:${value}`).toString("base64");
}

export function decodeCursor(params: Params, kind: string): string | undefined {
  const cursor = str(params, "cursor");
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, "base64").toString("utf8");
  if (!decoded.startsWith(`${kind}:`)) throw new SlackApiError("invalid_cursor");
  return decoded.slice(kind.length + 1);
}

/** Slack's own list pagination: `limit` items from the cursor on, and where to go next. */
export function page<T>(
  items: T[],
  params: Params,
  kind: string,
  key: (item: T) => string,
  fallback: number,
  max: number,
): { items: T[]; next_cursor: string } {
  const limit = limitOf(params, fallback, max);
  const from = decodeCursor(params, kind);
  let start = 0;
  if (from !== undefined) {
    start = items.findIndex((item) => key(item) === from);
    if (start < 0) throw new SlackApiError("invalid_cursor");
  }
  const slice = items.slice(start, start + limit);
  const next = items[start + limit];
  return { items: slice, next_cursor: next ? encodeCursor(kind, key(next)) : "" };
}

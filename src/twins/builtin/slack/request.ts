/** Reading a request: its parameters (query, form, multipart or JSON) and its token. */
import type { Context } from "hono";
import { type Params, SlackApiError } from "./method.js";
import { str } from "./params.js";

export async function readParams(c: Context): Promise<Params> {
  const params: Params = Object.fromEntries(new URL(c.req.url).searchParams);
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const form = await c.req.parseBody();
    for (const [key, value] of Object.entries(form))
      if (typeof value === "string") params[key] = value;
    return params;
  }
  const text = c.req.method === "GET" || c.req.method === "HEAD" ? "" : await c.req.text();
  if (text.trim() === "") return params;
  if (type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SlackApiError("invalid_json");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new SlackApiError("json_not_object");
    return { ...params, ...(parsed as Params) };
  }
  if (
    type !== "" &&
    !type.startsWith("application/x-www-form-urlencoded") &&
    !type.startsWith("text/plain")
  )
    throw new SlackApiError("invalid_post_type");
  for (const [key, value] of new URLSearchParams(text)) params[key] = value;
  return params;
}

export function tokenOf(c: Context, params: Params): string | undefined {
  const header = c.req.header("authorization");
  if (header) {
    // A header that is not a bearer token is a credential Slack cannot read: invalid_auth.
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    return match?.[1] ?? "malformed";
  }
  return str(params, "token");
}

export function tokenValid(token: string, options: Record<string, unknown>): boolean {
  const allowed = options.tokens;
  if (Array.isArray(allowed)) return allowed.includes(token);
  return /^xox[abpe]-[A-Za-z0-9-]+$/.test(token);
}

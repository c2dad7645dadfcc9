/**
 * Record, replay, diff (DESIGN §7): a proxy that records real traffic to a cassette (secrets
 * redacted), a server that replays one, and a fidelity check that replays recorded requests
 * against a twin and reports where status, shape or chosen fields differ.
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { z } from "zod";
import { InputError } from "../common/index.js";
import type { Redactor } from "../governance/index.js";
import type { ServedTwin } from "./runtime/create-twin.js";

const SECRET_HEADERS = new Set([
  "authorization",
  "cookie",
  "set-cookie",
  "proxy-authorization",
  "x-api-key",
]);
const HOP_HEADERS = new Set([
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "accept-encoding",
  "content-encoding",
]);

const interactionSchema = z.object({
  request: z.object({
    method: z.string(),
    path: z.string(),
    query: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
  }),
  response: z.object({
    status: z.number().int(),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
  }),
});
export type Interaction = z.infer<typeof interactionSchema>;

function keptHeaders(headers: Headers, redactor: Redactor): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of headers.entries()) {
    if (HOP_HEADERS.has(name)) continue;
    kept[name] = SECRET_HEADERS.has(name) ? "[REDACTED]" : redactor.redactText(value);
  }
  return kept;
}

function listen(app: Hono, port: number, name: string): Promise<ServedTwin> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({
        name,
        url: `http://127.0.0.1:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      }),
    );
    server.once("error", reject);
  });
}

/**
 * A recording proxy: every request goes to `upstream` unchanged (credentials included, so the
 * real service accepts it); the cassette gets it with credentials and secrets redacted.
 */
export function recordCassette(options: {
  upstream: string;
  cassette: string;
  redactor: Redactor;
  port?: number;
}): Promise<ServedTwin> {
  const upstream = options.upstream.replace(/\/$/, "");
  writeFileSync(options.cassette, "");
  const app = new Hono();
  app.all("*", async (c) => {
    const request = c.req.raw;
    const url = new URL(request.url);
    const body = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    const headers = new Headers(request.headers);
    for (const name of HOP_HEADERS) headers.delete(name);
    const answer = await fetch(`${upstream}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      ...(body ? { body } : {}),
    });
    const text = await answer.text();
    const interaction: Interaction = {
      request: {
        method: request.method,
        path: url.pathname,
        query: url.search,
        headers: keptHeaders(request.headers, options.redactor),
        body: options.redactor.redactText(body),
      },
      response: {
        status: answer.status,
        headers: keptHeaders(answer.headers, options.redactor),
        body: options.redactor.redactText(text),
      },
    };
    appendFileSync(options.cassette, `${JSON.stringify(interaction)}\n`);
    const out = new Headers(answer.headers);
    for (const name of HOP_HEADERS) out.delete(name);
    return new Response(text, { status: answer.status, headers: out });
  });
  return listen(app, options.port ?? 0, "recorder");
}

export function readCassette(file: string): Interaction[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError("cassette-unreadable", `cannot read ${file}: ${(error as Error).message}`);
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const parsed = interactionSchema.safeParse(JSON.parse(line));
      if (!parsed.success)
        throw new InputError(
          "cassette-invalid",
          `${file}:${index + 1}: not a recorded interaction`,
          {
            hint: "a cassette is JSON Lines of {request, response}, as `factory twin record` writes",
          },
        );
      return parsed.data;
    });
}

/** Serves a cassette: each request gets the next unused recording with the same method, path and query. */
export function replayCassette(file: string, options: { port?: number } = {}): Promise<ServedTwin> {
  const interactions = readCassette(file);
  const used = new Set<number>();
  const app = new Hono();
  app.all("*", (c) => {
    const url = new URL(c.req.url);
    const index = interactions.findIndex(
      (i, n) =>
        !used.has(n) &&
        i.request.method === c.req.method &&
        i.request.path === url.pathname &&
        i.request.query === url.search,
    );
    const found = interactions[index];
    if (!found)
      return c.json(
        {
          error: `the cassette has no unused recording of ${c.req.method} ${url.pathname}${url.search}`,
        },
        404,
      );
    used.add(index);
    const headers = new Headers(found.response.headers);
    for (const name of HOP_HEADERS) headers.delete(name);
    return new Response(found.response.body, { status: found.response.status, headers });
  });
  return listen(app, options.port ?? 0, "replay");
}

export interface Difference {
  /** 1-based index of the interaction in the cassette. */
  interaction: number;
  request: string;
  kind: "status" | "shape" | "field";
  detail: string;
}

/**
 * Replays the cassette's requests against `target` (a twin's URL) in order and reports
 * where the twin answers differently: the status, the JSON shape (keys and value types), or
 * the value of a chosen field (dotted paths such as `status` or `data.0.amount`).
 */
export async function diffCassette(
  file: string,
  target: string,
  options: { fields?: string[]; headers?: Record<string, string> } = {},
): Promise<{ interactions: number; differences: Difference[] }> {
  const interactions = readCassette(file);
  const differences: Difference[] = [];
  for (const [index, recorded] of interactions.entries()) {
    const { method, path, query, headers, body } = recorded.request;
    const sent = Object.fromEntries(
      Object.entries({ ...headers, ...options.headers }).filter(([, v]) => v !== "[REDACTED]"),
    );
    const answer = await fetch(`${target.replace(/\/$/, "")}${path}${query}`, {
      method,
      headers: sent,
      ...(body ? { body } : {}),
    });
    const text = await answer.text();
    const at = { interaction: index + 1, request: `${method} ${path}${query}` };
    if (answer.status !== recorded.response.status)
      differences.push({
        ...at,
        kind: "status",
        detail: `recorded ${recorded.response.status}, twin ${answer.status}`,
      });
    const want = parseJson(recorded.response.body);
    const got = parseJson(text);
    for (const problem of shapeDifferences(want, got, ""))
      differences.push({ ...at, kind: "shape", detail: problem });
    for (const field of options.fields ?? []) {
      const a = JSON.stringify(pick(want, field));
      const b = JSON.stringify(pick(got, field));
      if (a !== b)
        differences.push({ ...at, kind: "field", detail: `${field}: recorded ${a}, twin ${b}` });
    }
  }
  return { interactions: interactions.length, differences };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const typeOf = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value;

function shapeDifferences(want: unknown, got: unknown, path: string): string[] {
  const where = path || "(body)";
  if (typeOf(want) !== typeOf(got))
    return [`${where}: recorded ${typeOf(want)}, twin ${typeOf(got)}`];
  if (Array.isArray(want) && Array.isArray(got))
    return want.length > 0 && got.length > 0 ? shapeDifferences(want[0], got[0], `${path}[0]`) : [];
  if (typeOf(want) !== "object") return [];
  const a = want as Record<string, unknown>;
  const b = got as Record<string, unknown>;
  const out: string[] = [];
  for (const key of Object.keys(a)) {
    const child = path ? `${path}.${key}` : key;
    if (!(key in b)) out.push(`${child}: missing from the twin's answer`);
    else out.push(...shapeDifferences(a[key], b[key], child));
  }
  for (const key of Object.keys(b))
    if (!(key in a)) out.push(`${path ? `${path}.${key}` : key}: only in the twin's answer`);
  return out;
}

function pick(value: unknown, field: string): unknown {
  let current = value;
  for (const part of field.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

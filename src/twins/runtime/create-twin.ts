/**
 * Runs a twin definition: its vendor routes behind the runtime's journal and fault engine,
 * and the admin API under `/__twin/`, served over HTTP on 127.0.0.1 or called in-process.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type Context, Hono, type Next } from "hono";
import { createClock } from "./clock.js";
import type { JournalEntry, TwinClock, TwinContext, TwinDefinition } from "./contract.js";
import { createFaultEngine, type FaultProfile, faultProfileSchema } from "./faults.js";
import { createSeededRandom } from "./seeded-random.js";

export interface CreateTwinOptions {
  /** Same seed, same requests: same ids, same responses, same journal. Default "darkfactory". */
  seed?: string;
  faults?: FaultProfile;
  /** Twin-specific settings (a webhook URL and secret, say). */
  options?: Record<string, unknown>;
  /** Bigger request bodies get the vendor's 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** When set, the admin API wants it in `x-twin-admin-token`. */
  adminToken?: string;
}

export interface TwinSnapshot {
  version: 1;
  state: unknown;
  clock: number;
  random: number[];
  faultRandom: number[];
}

export interface ServedTwin {
  name: string;
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface Twin<S = unknown> {
  readonly name: string;
  readonly clock: TwinClock;
  /** In-process: the same answers as over HTTP, without a socket. */
  fetch(request: Request): Promise<Response>;
  serve(options?: { port?: number; host?: string }): Promise<ServedTwin>;
  state(): S;
  reset(): void;
  snapshot(): TwinSnapshot;
  restore(snapshot: TwinSnapshot): void;
  journal(): JournalEntry[];
  faults(): FaultProfile;
  setFaults(profile: FaultProfile): void;
  /** Waits for deferred work (webhook deliveries) to finish. */
  settle(): Promise<void>;
  /** Deferred work that failed (a webhook never delivered), also at `/__twin/journal?deferred=1`. */
  deferredErrors(): { at: number; error: string }[];
}

/** Never journaled: credentials, and what changes from run to run without meaning anything. */
const UNJOURNALED = new Set([
  "authorization",
  "cookie",
  "proxy-authorization",
  "host",
  "connection",
  "keep-alive",
  "user-agent",
  "accept-encoding",
  "content-length",
  "transfer-encoding",
]);
const VOLATILE_PREFIXES = ["x-stainless-", "x-stripe-client-"];

class ConnectionReset extends Error {}

export function createTwin<S>(
  definition: TwinDefinition<S>,
  options: CreateTwinOptions = {},
): Twin<S> {
  const seed = options.seed ?? "darkfactory";
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const random = createSeededRandom(seed);
  // A stream of its own, so turning a fault on does not change the ids the twin hands out.
  const faultRandom = createSeededRandom(`${seed}/faults`);
  const clock = createClock();
  const faults = createFaultEngine(faultRandom, options.faults);
  const secret = new Set((definition.secretHeaders ?? []).map((h) => h.toLowerCase()));
  let state = definition.initialState(random, clock);
  let journal: JournalEntry[] = [];
  const pending = new Set<Promise<void>>();
  let deferredErrors: { at: number; error: string }[] = [];

  const context: TwinContext<S> = {
    get state() {
      return state;
    },
    random,
    clock,
    options: options.options ?? {},
    defer(task) {
      const run = task()
        .catch((error: unknown) => {
          deferredErrors.push({
            at: clock.now(),
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => pending.delete(run));
      pending.add(run);
    },
  };

  const vendorError = (status: number, message: string, extra: Record<string, string> = {}) => {
    const { body, headers } = definition.errors.error(status, message);
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers, ...extra },
    });
  };

  const journaledHeaders = (headers: Headers | Record<string, unknown>): Record<string, string> => {
    const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
    const kept: Record<string, string> = {};
    for (const [name, value] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const key = name.toLowerCase();
      if (UNJOURNALED.has(key) || secret.has(key)) continue;
      if (VOLATILE_PREFIXES.some((prefix) => key.startsWith(prefix))) continue;
      const text = Array.isArray(value) ? value.join(", ") : String(value);
      const journaled = definition.journalHeader ? definition.journalHeader(key, text) : text;
      if (journaled !== undefined) kept[key] = journaled;
    }
    return kept;
  };

  /**
   * Around every vendor route, in the same app (one dispatch per request): read and journal
   * the request, apply the fault engine's decision, then journal the answer.
   */
  async function runtime(c: Context, next: Next): Promise<Response | undefined> {
    if (c.req.path.startsWith("/__twin/")) {
      await next();
      return undefined;
    }
    const request = c.req.raw;
    const method = request.method;
    const path = c.req.path;
    const full = request.url;
    const queryAt = full.indexOf("?");
    // Over HTTP, the node request's plain header object: building a Headers costs more than the route.
    const nodeHeaders = (c.env as { incoming?: { headers: Record<string, unknown> } } | undefined)
      ?.incoming?.headers;
    const entry: Omit<JournalEntry, "status" | "response"> = {
      seq: journal.length + 1,
      at: clock.now(),
      method,
      path,
      query: queryAt === -1 ? "" : full.slice(queryAt),
      headers: journaledHeaders(nodeHeaders ?? request.headers),
      body: "",
    };
    const record = (status: number, response: string, extra: Partial<JournalEntry> = {}) => {
      journal.push({ ...entry, ...extra, status, response });
    };
    const answer = async (response: Response, extra: Partial<JournalEntry> = {}) => {
      const text = await response.text();
      record(response.status, text, extra);
      return new Response(text, response);
    };

    if (
      Number(nodeHeaders?.["content-length"] ?? request.headers.get("content-length") ?? 0) >
      maxBody
    )
      return answer(vendorError(413, `Request bodies are limited to ${maxBody} bytes`));
    if (method !== "GET" && method !== "HEAD") {
      // Hono keeps what it read, so the route's own c.req.json() or parseBody() reads it again;
      // a JSON body is parsed once here and handed to c.req.json() as it is.
      const type = c.req.header("content-type") ?? "";
      if (c.req.header("content-encoding") || !/^$|text\/|json|x-www-form-urlencoded/.test(type)) {
        // Compressed or binary: kept as bytes for the route, as base64 in the journal.
        const bytes = await c.req.arrayBuffer();
        if (bytes.byteLength > maxBody)
          return answer(vendorError(413, `Request bodies are limited to ${maxBody} bytes`));
        entry.body = `base64:${Buffer.from(bytes).toString("base64")}`;
      } else {
        const text = await c.req.text();
        if (text.length > maxBody / 4 && Buffer.byteLength(text) > maxBody)
          return answer(vendorError(413, `Request bodies are limited to ${maxBody} bytes`));
        entry.body = text;
      }
      if (/json/.test(type) && !c.req.header("content-encoding")) {
        const text = entry.body;
        try {
          const parsed: unknown = JSON.parse(text);
          c.req.bodyCache.json = Promise.resolve(parsed);
        } catch {
          // The route's own c.req.json() rejects it, and answers in the vendor's words.
        }
      }
    }

    const decision = faults.decide(method, path, clock.seconds());
    const faulted = (fault: JournalEntry["fault"]) => ({
      fault,
      ...(decision.delayMs ? { delayMs: decision.delayMs } : {}),
    });
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    switch (decision.kind) {
      case "reset": {
        record(0, "", faulted("reset"));
        const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)
          ?.incoming;
        incoming?.socket?.destroy();
        throw new ConnectionReset();
      }
      case "timeout":
        await sleep(decision.hangMs);
        return answer(vendorError(504, "The request timed out"), faulted("timeout"));
      case "error":
        return answer(
          vendorError(decision.status, "The twin injected this error"),
          faulted("error"),
        );
      case "rate_limit": {
        const headers = definition.errors.rateLimitHeaders?.(decision.bucket, false) ?? {
          "retry-after": String(decision.bucket.retryAfter),
        };
        return answer(vendorError(429, "Too many requests", headers), faulted("rate_limit"));
      }
      case "pass":
        break;
    }
    const bucket = faults.bucketFor(method, path, clock.seconds());
    const always = bucket && definition.errors.rateLimitHeaders?.(bucket, true);
    // The body as the route gave it to c.json: reading it back from the response would make the
    // HTTP adapter build a full Response, which costs more than the route itself.
    let captured: string | undefined;
    const json = c.json.bind(c);
    c.json = ((object: unknown, ...rest: unknown[]) => {
      captured = JSON.stringify(object);
      return (json as (...args: unknown[]) => Response)(object, ...rest);
    }) as typeof c.json;
    await next();
    // Over the route's own: the runtime's budget is the one in force.
    if (always) for (const [name, value] of Object.entries(always)) c.res.headers.set(name, value);
    const text = captured ?? (await journaledBody(c.res));
    record(c.res.status, text, decision.delayMs ? faulted("latency") : {});
    return undefined;
  }

  const snapshot = (): TwinSnapshot => ({
    version: 1,
    state: structuredClone(state),
    clock: clock.now(),
    random: random.save(),
    faultRandom: faultRandom.save(),
  });
  const restore = (saved: TwinSnapshot) => {
    if (saved?.version !== 1 || saved.state === undefined)
      throw new TypeError("not a twin snapshot (version 1, with a state)");
    state = structuredClone(saved.state) as S;
    clock.set(saved.clock);
    random.load(saved.random);
    faultRandom.load(saved.faultRandom);
  };
  const reset = () => {
    const fresh = createSeededRandom(seed);
    random.load(fresh.save());
    faultRandom.load(createSeededRandom(`${seed}/faults`).save());
    clock.set(createClock().now());
    state = definition.initialState(random, clock);
    journal = [];
    deferredErrors = [];
    faults.reset();
  };

  const app = new Hono();
  const admin = new Hono();
  admin.use("*", async (c, next) => {
    if (options.adminToken && c.req.header("x-twin-admin-token") !== options.adminToken)
      return c.json({ error: "the admin API wants x-twin-admin-token" }, 401);
    return next();
  });
  admin.post("/reset", (c) => {
    reset();
    return c.json({ ok: true });
  });
  admin.get("/state", (c) => c.json(state as object));
  admin.post("/snapshot", (c) => c.json(snapshot()));
  admin.post("/restore", async (c) => {
    try {
      restore(await c.req.json());
    } catch (error) {
      return c.json({ error: (error as Error).message }, 400);
    }
    return c.json({ ok: true });
  });
  admin.get("/faults", (c) => c.json(faults.profile()));
  admin.put("/faults", async (c) => {
    const parsed = faultProfileSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      return c.json({ error: "not a fault profile", issues: parsed.error.issues }, 400);
    faults.setProfile(parsed.data);
    return c.json(faults.profile());
  });
  admin.get("/journal", (c) => c.json(c.req.query("deferred") ? deferredErrors : journal));
  admin.get("/clock", (c) =>
    c.json({ now: clock.now(), iso: new Date(clock.now()).toISOString() }),
  );
  admin.post("/clock", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { advance_ms?: unknown };
    if (typeof body.advance_ms !== "number" || body.advance_ms < 0)
      return c.json({ error: 'send {"advance_ms": <a non-negative number>}' }, 400);
    clock.advance(body.advance_ms);
    return c.json({ now: clock.now(), iso: new Date(clock.now()).toISOString() });
  });
  admin.notFound((c) => c.json({ error: `no admin route ${c.req.method} ${c.req.path}` }, 404));
  app.use("*", runtime);
  app.route("/__twin", admin);
  definition.routes(app, context);
  app.notFound((c) =>
    vendorError(404, `Unrecognized request URL (${c.req.method}: ${c.req.path})`),
  );
  app.onError((error) => {
    if (error instanceof ConnectionReset) throw error;
    return vendorError(500, "An internal error occurred in the twin");
  });

  return {
    name: definition.name,
    clock,
    async fetch(request) {
      try {
        return await app.fetch(request);
      } catch (error) {
        // What a client sees when the connection drops.
        if (error instanceof ConnectionReset) throw new TypeError("fetch failed: connection reset");
        throw error;
      }
    },
    serve({ port = 0, host = "127.0.0.1" } = {}) {
      return new Promise((resolve, reject) => {
        const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
          resolve({
            name: definition.name,
            url: `http://${host}:${info.port}`,
            port: info.port,
            close: () =>
              new Promise<void>((done) => {
                const closable = server as unknown as { closeAllConnections?: () => void };
                server.close(() => done());
                closable.closeAllConnections?.();
              }),
          });
        });
        server.once("error", reject);
      });
    },
    state: () => state,
    reset,
    snapshot,
    restore,
    journal: () => journal,
    deferredErrors: () => deferredErrors,
    faults: () => faults.profile(),
    setFaults: (profile) => faults.setProfile(profile),
    async settle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** Text as it is; anything else (a tarball) as `base64:<data>`, so the journal loses nothing. */
async function journaledBody(response: Response): Promise<string> {
  const type = response.headers.get("content-type") ?? "";
  if (type === "" || /^text\/|json|xml|x-www-form-urlencoded/.test(type))
    return response.clone().text();
  return `base64:${Buffer.from(await response.clone().arrayBuffer()).toString("base64")}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs a twin definition: its vendor routes behind the runtime's journal and fault engine,
 * and the admin API under `/__twin/`, served over HTTP on 127.0.0.1 or called in-process.
 */
import { type Context, Hono, type Next } from "hono";
import { createClock } from "./clock.js";
import type { JournalEntry, TwinClock, TwinContext, TwinDefinition } from "./contract.js";
import { createExchangeRuntime, journaledResponse, type VendorAnswer } from "./exchange.js";
import { createFaultEngine, type FaultProfile, faultProfileSchema } from "./faults.js";
import { type ServedTwin, serveOverHttp } from "./http-transport.js";

export type { ServedTwin };

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
  /** Where the virtual clock starts, epoch ms (default 2026-01-01): "now" for a twin whose data ages. */
  clockStart?: number;
}

export interface TwinSnapshot {
  version: 1;
  state: unknown;
  clock: number;
  random: number[];
  faultRandom: number[];
}

export interface Twin<S = unknown> {
  readonly name: string;
  readonly clock: TwinClock;
  /** In-process: the same answers as over HTTP, without a socket. */
  fetch(request: Request): Promise<Response>;
  serve(options?: { port?: number; host?: string }): Promise<ServedTwin>;
  state(): S;
  /** The state as scenarios read it (the definition's `view`, else the state itself). */
  view(): unknown;
  /** A fresh state, journal and clock; under a new seed when one is given, as for a new trajectory. */
  reset(seed?: string): void;
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

class ConnectionReset extends Error {}

export function createTwin<S>(
  definition: TwinDefinition<S>,
  options: CreateTwinOptions = {},
): Twin<S> {
  let seed = options.seed ?? "darkfactory";
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const random = createSeededRandom(seed);
  // A stream of its own, so turning a fault on does not change the ids the twin hands out.
  const faultRandom = createSeededRandom(`${seed}/faults`);
  const clock = createClock(options.clockStart);
  const faults = createFaultEngine(faultRandom, options.faults);
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
  const exchanges = createExchangeRuntime(
    definition as TwinDefinition<unknown>,
    () => journal,
    clock,
    faults,
    maxBody,
  );
  const reply = (answer: VendorAnswer) =>
    new Response(answer.body, { status: answer.status, headers: answer.headers });
  const tooLarge = `Request bodies are limited to ${maxBody} bytes`;

  /**
   * In-process, around every vendor route: read and journal the request, apply the fault
   * engine's verdict, then journal the answer. Over HTTP the same work is done on node's own
   * request and response (http-transport.ts), which spares a middleware and a Response.
   */
  async function runtime(c: Context, next: Next): Promise<Response | undefined> {
    if (c.req.path.startsWith("/__twin/")) {
      await next();
      return undefined;
    }
    const request = c.req.raw;
    const exchange = exchanges.begin(request.method, request.url, request.headers);
    if (Number(request.headers.get("content-length") ?? 0) > maxBody)
      return reply(exchanges.answer(exchange, 413, tooLarge));
    if (request.method !== "GET" && request.method !== "HEAD") {
      // Hono keeps what it read, so the route's own c.req.json() or parseBody() reads it again;
      // a JSON body is parsed once here and handed to c.req.json() as it is.
      const type = request.headers.get("content-type") ?? "";
      const encoded = request.headers.has("content-encoding");
      if (encoded || !/json/.test(type)) {
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        if (bytes.byteLength > maxBody) return reply(exchanges.answer(exchange, 413, tooLarge));
        exchange.setBody(bytes, type, encoded);
      } else {
        const text = await c.req.text();
        if (text.length > maxBody / 4 && Buffer.byteLength(text) > maxBody)
          return reply(exchanges.answer(exchange, 413, tooLarge));
        exchange.setBody(text, type, false);
        try {
          c.req.bodyCache.json = Promise.resolve(JSON.parse(text));
        } catch {
          // The route's own c.req.json() rejects it, and answers in the vendor's words.
        }
      }
    }
    const verdict = await exchanges.judge(exchange);
    if (verdict.kind === "reset") throw new ConnectionReset();
    if (verdict.kind === "answer") return reply(verdict.answer);
    // The body as the route gave it to c.json: reading it back from the response costs more
    // than the route itself.
    let captured: string | undefined;
    const json = c.json.bind(c);
    c.json = ((object: unknown, ...rest: unknown[]) => {
      captured = JSON.stringify(object);
      return (json as (...args: unknown[]) => Response)(object, ...rest);
    }) as typeof c.json;
    await next();
    // Over the route's own: the runtime's budget is the one in force.
    for (const [name, value] of Object.entries(verdict.headers ?? {}))
      c.res.headers.set(name, value);
    exchange.record(c.res.status, captured ?? (await journaledBody(c.res)), verdict.extra);
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
  const reset = (newSeed?: string) => {
    if (newSeed !== undefined) seed = newSeed;
    const fresh = createSeededRandom(seed);
    random.load(fresh.save());
    faultRandom.load(createSeededRandom(`${seed}/faults`).save());
    clock.set(createClock(options.clockStart).now());
    state = definition.initialState(random, clock);
    journal = [];
    deferredErrors = [];
    faults.reset();
  };

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

  /** The vendor's routes behind the admin API; in-process, behind the runtime's middleware too. */
  const buildApp = (inProcess: boolean) => {
    const app = new Hono();
    if (inProcess) app.use("*", runtime);
    app.route("/__twin", admin);
    definition.routes(app, context);
    app.notFound((c) =>
      reply(exchanges.error(404, `Unrecognized request URL (${c.req.method}: ${c.req.path})`)),
    );
    app.onError((error) => {
      if (error instanceof ConnectionReset) throw error;
      return reply(exchanges.error(500, "An internal error occurred in the twin"));
    });
    return app;
  };
  let inProcessApp: Hono | undefined;
  let httpApp: Hono | undefined;
  return {
    name: definition.name,
    clock,
    async fetch(request) {
      inProcessApp ??= buildApp(true);
      try {
        return await inProcessApp.fetch(request);
      } catch (error) {
        // What a client sees when the connection drops.
        if (error instanceof ConnectionReset) throw new TypeError("fetch failed: connection reset");
        throw error;
      }
    },
    serve({ port = 0, host = "127.0.0.1" } = {}) {
      httpApp ??= buildApp(false);
      return serveOverHttp(definition.name, exchanges, httpApp.fetch, port, host);
    },
    state: () => state,
    view: () => (definition.view ? definition.view(state) : state),
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

/** What the route answered, when it did not answer through c.json. */
async function journaledBody(response: Response): Promise<string> {
  const bytes = new Uint8Array(await response.clone().arrayBuffer());
  return journaledResponse(bytes, response.headers.get("content-type") ?? "");
}

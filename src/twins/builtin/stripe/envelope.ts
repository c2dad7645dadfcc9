/**
 * What every Stripe request goes through before and after its route: the API key, the
 * Stripe-Version, the form body, idempotency keys (same key and parameters: the same bytes,
 * `Idempotent-Replayed: true`), `expand[]`, the answer's headers, and the events the route
 * raised, handed to `webhooks.ts` to deliver after the answer.
 */
import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { TwinContext } from "../../index.js";
import { errorEnvelope, StripeApiError } from "./errors.js";
import { expandList, type Params, parseForm } from "./params.js";
import type { IdempotencyRecord, StripeEvent, StripeState } from "./state.js";
import { deliver, webhookTarget } from "./webhooks.js";

/** The version stripe-node 23 pins; answered when a request names none. */
export const DEFAULT_API_VERSION = "2026-10-28.endive";
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface Call {
  readonly state: StripeState;
  readonly twin: TwinContext<StripeState>;
  readonly params: Params;
  /** Epoch seconds, virtual clock. */
  readonly now: number;
  readonly requestId: string;
  readonly idempotencyKey: string | null;
  readonly apiVersion: string;
  /** Records an event (kept for `GET /v1/events`, and sent to the webhook after the answer). */
  emit(type: string, object: unknown, previous?: Record<string, unknown>): void;
}

export interface Result {
  status?: number;
  body: unknown;
}

export interface Endpoint {
  /** Top-level fields `expand[]` may name (`data.<field>` for lists). */
  expandable?: readonly string[];
  list?: boolean;
  handle(call: Call, id: string): Result;
}

function apiKeyOf(c: Context): string | undefined {
  const header = c.req.header("authorization");
  if (!header) return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer) return bearer[1]?.trim();
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic)
    return Buffer.from(basic[1] ?? "", "base64")
      .toString("utf8")
      .split(":")[0];
  return header.trim();
}

function redact(key: string): string {
  if (key.length <= 12) return "*".repeat(key.length);
  const prefix = /^[a-z]{2,3}_(test|live)_/.exec(key)?.[0] ?? key.slice(0, 3);
  return `${prefix}${"*".repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

function authenticate(c: Context, options: Record<string, unknown>): string {
  const key = apiKeyOf(c);
  if (!key) {
    throw new StripeApiError(401, {
      type: "invalid_request_error",
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    });
  }
  const allowed = Array.isArray(options.apiKeys) ? (options.apiKeys as unknown[]) : undefined;
  const valid = allowed ? allowed.includes(key) : /^(sk|rk)_test_[0-9A-Za-z_]+$/.test(key);
  if (!valid) {
    throw new StripeApiError(401, {
      type: "invalid_request_error",
      message: `Invalid API Key provided: ${redact(key)}`,
    });
  }
  return key;
}

const FORM = "application/x-www-form-urlencoded";

async function readParams(c: Context): Promise<Params> {
  const url = new URL(c.req.url);
  const query = parseForm(url.search.slice(1));
  if (c.req.method !== "POST") return query;
  const text = await c.req.text();
  const type = (c.req.header("content-type") ?? FORM).split(";")[0]?.trim().toLowerCase();
  if (text.length > 0 && type !== FORM) {
    throw new StripeApiError(400, {
      type: "invalid_request_error",
      message: `Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.`,
    });
  }
  return { ...query, ...parseForm(text) };
}

/** Canonical JSON: keys sorted, so the same parameters compare equal however they were sent. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const COLLECTIONS: [string, keyof StripeState][] = [
  ["cus_", "customers"],
  ["pi_", "paymentIntents"],
  ["ch_", "charges"],
  ["pm_", "paymentMethods"],
  ["re_", "refunds"],
  ["evt_", "events"],
];

function lookup(state: StripeState, id: string): unknown {
  for (const [prefix, collection] of COLLECTIONS) {
    if (id.startsWith(prefix)) return (state[collection] as Record<string, unknown>)[id];
  }
  return undefined;
}

function expandPath(state: StripeState, target: unknown, path: string[]): void {
  if (!target || typeof target !== "object" || path.length === 0) return;
  const [head, ...rest] = path as [string, ...string[]];
  const record = target as Record<string, unknown>;
  if (head === "data" && Array.isArray(record.data)) {
    for (const item of record.data) expandPath(state, item, rest);
    return;
  }
  const value = record[head];
  if (typeof value === "string") {
    const found = lookup(state, value);
    if (found) record[head] = structuredClone(found);
  }
  expandPath(state, record[head], rest);
}

function checkExpand(endpoint: Endpoint, paths: string[]): void {
  paths.forEach((path, index) => {
    const parts = path.split(".");
    const field = endpoint.list && parts[0] === "data" ? parts[1] : parts[0];
    const fine = endpoint.list ? parts[0] === "data" : true;
    if (!fine || !field || !(endpoint.expandable ?? []).includes(field)) {
      throw new StripeApiError(400, {
        type: "invalid_request_error",
        message: `This property cannot be expanded (${path}).`,
        param: `expand[${index}]`,
      });
    }
  });
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function nextRequestId(state: StripeState): string {
  state.requests.count += 1;
  const digest = createHash("sha256")
    .update(`${state.requests.salt}/${state.requests.count}`)
    .digest();
  let id = "req_";
  for (let i = 0; i < 14; i++) id += BASE62[(digest[i] ?? 0) % 62];
  return id;
}

function idempotencySlot(apiKey: string, key: string): string {
  return createHash("sha256").update(`${apiKey}\u0000${key}`).digest("hex").slice(0, 32);
}

/** Wraps a route: the same steps, in Stripe's order, for every endpoint. */
export function endpoint(twin: TwinContext<StripeState>, route: Endpoint) {
  return async (c: Context): Promise<Response> => {
    const state = twin.state;
    const requestId = nextRequestId(state);
    const method = c.req.method;
    const path = c.req.path;
    const headerKey = c.req.header("idempotency-key") ?? null;
    const requestedVersion = c.req.header("stripe-version");
    const apiVersion = requestedVersion ?? DEFAULT_API_VERSION;
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "Cache-Control": "no-cache, no-store",
      "Request-Id": requestId,
      "Original-Request": requestId,
      "Stripe-Version": apiVersion,
    };
    if (method === "POST" && headerKey) headers["Idempotency-Key"] = headerKey;
    const send = (status: number, body: string, extra: Record<string, string> = {}) =>
      c.body(body, status as 200, { ...headers, ...extra });

    const events: StripeEvent[] = [];
    let slot: string | undefined;
    let params: Params = {};
    try {
      const apiKey = authenticate(c, twin.options);
      if (
        requestedVersion !== undefined &&
        !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(requestedVersion)
      ) {
        throw new StripeApiError(400, {
          type: "invalid_request_error",
          message: `Invalid Stripe API version: ${requestedVersion}`,
        });
      }
      params = await readParams(c);
      if (method === "POST" && headerKey) {
        if (headerKey.length > 255) {
          throw new StripeApiError(400, {
            type: "invalid_request_error",
            message: "Idempotency-Key must be no more than 255 characters.",
          });
        }
        slot = idempotencySlot(apiKey, headerKey);
        const now = twin.clock.seconds();
        for (const [k, record] of Object.entries(state.idempotency)) {
          if (record.created + IDEMPOTENCY_TTL_SECONDS <= now) delete state.idempotency[k];
        }
        const previous = state.idempotency[slot];
        if (previous) {
          if (previous.method !== method || previous.path !== path) {
            throw new StripeApiError(400, {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${previous.method} ${previous.path}' vs '${method} ${path}'). Try using a key other than '${headerKey}' if you meant to execute a different request.`,
            });
          }
          if (previous.params !== canonical(params)) {
            throw new StripeApiError(400, {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${headerKey}' if you meant to execute a different request.`,
            });
          }
          return send(previous.status, previous.body, {
            "Idempotent-Replayed": "true",
            "Original-Request": previous.requestId,
          });
        }
      }
      const expand = expandList(params);
      checkExpand(route, expand);
      const call: Call = {
        state,
        twin,
        params,
        now: twin.clock.seconds(),
        requestId,
        idempotencyKey: headerKey,
        apiVersion,
        emit(type, object, previous) {
          const event: StripeEvent = {
            id: twin.random.id("evt_", 24),
            object: "event",
            api_version: apiVersion,
            created: twin.clock.seconds(),
            data: {
              object: structuredClone(object),
              ...(previous ? { previous_attributes: structuredClone(previous) } : {}),
            },
            livemode: false,
            pending_webhooks: webhookTarget(twin.options) ? 1 : 0,
            request: { id: requestId, idempotency_key: headerKey },
            type,
          };
          state.events[event.id] = event;
          events.push(event);
        },
      };
      const result = route.handle(call, c.req.param("id") ?? "");
      const body = structuredClone(result.body);
      for (const p of expand) expandPath(state, body, p.split("."));
      const text = JSON.stringify(body, null, 2);
      const status = result.status ?? 200;
      remember(state, slot, method, path, params, status, text, requestId, twin.clock.seconds());
      return send(status, text);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      const text = JSON.stringify(errorEnvelope(error.body), null, 2);
      if (error.executed) {
        remember(
          state,
          slot,
          method,
          path,
          params,
          error.status,
          text,
          requestId,
          twin.clock.seconds(),
        );
      }
      return send(error.status, text, error.headers);
    } finally {
      if (events.length > 0) deliver(twin, events);
    }
  };
}

function remember(
  state: StripeState,
  slot: string | undefined,
  method: string,
  path: string,
  params: Params,
  status: number,
  body: string,
  requestId: string,
  created: number,
): void {
  if (!slot) return;
  const record: IdempotencyRecord = {
    method,
    path,
    params: canonical(params),
    status,
    body,
    requestId,
    created,
  };
  state.idempotency[slot] = record;
}

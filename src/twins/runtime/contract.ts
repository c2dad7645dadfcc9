/**
 * The twin contract (DESIGN §7): a twin is a Hono app over a state. The runtime gives it a
 * seeded random source, a virtual clock, a request journal, snapshot and restore, faults on a
 * seeded schedule and an admin API under `/__twin/`; the twin brings its vendor's routes,
 * state and error shapes.
 */
import type { Context, Hono } from "hono";

/** Deterministic randomness: same seed, same sequence. */
export interface SeededRandom {
  /** In [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** `prefix` + `length` characters of [0-9A-Za-z], e.g. Stripe's `pi_3Nk...`. */
  id(prefix: string, length?: number): string;
  /** A hex string of `bytes` bytes. */
  hex(bytes: number): string;
}

/** Virtual time: starts at a fixed instant, moves only when advanced (admin API or the twin). */
export interface TwinClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Epoch seconds, as most vendor APIs write time. */
  seconds(): number;
  advance(ms: number): void;
}

/** What a twin's routes get, beside Hono's context. */
export interface TwinContext<S> {
  /** The live state; mutate it in place. Plain JSON only (it is snapshotted by value). */
  readonly state: S;
  readonly random: SeededRandom;
  readonly clock: TwinClock;
  /** The twin's options, e.g. a webhook secret, from `createTwin`. */
  readonly options: Record<string, unknown>;
  /** Runs after the response is sent (webhook deliveries); errors are kept, see `Twin.deferredErrors`. */
  defer(task: () => Promise<void>): void;
}

/** What a fault the runtime injects looks like to the client, in the vendor's own words. */
export interface VendorErrors {
  /** The body and headers of an error response with this status (400, 401, 404, 413, 429, 500, 503...). */
  error(status: number, message: string): { body: unknown; headers?: Record<string, string> };
  /**
   * Headers of a rate-limited answer (and of every answer, when `always` is set), from the
   * bucket's state: e.g. `Retry-After`, or GitHub's `x-ratelimit-*` with reset in epoch seconds.
   */
  rateLimitHeaders?(bucket: RateLimitState, always: boolean): Record<string, string>;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds (virtual clock) when the bucket is full again. */
  resetAt: number;
  /** Seconds until one more request is allowed. */
  retryAfter: number;
  /**
   * Seconds from now until the bucket is full again (resetAt minus the virtual now). The bucket
   * refills in real time while the virtual clock starts at a fixed instant in the past, so a
   * vendor whose clients sleep until an epoch (GitHub's x-ratelimit-reset) needs real now + this.
   */
  resetAfter?: number;
}

export interface TwinDefinition<S> {
  /** The name users serve it by: `stripe`, `github`, `slack`, `npm-registry`. */
  name: string;
  description: string;
  /** A fresh state; called at start and on reset. */
  initialState(random: SeededRandom, clock: TwinClock): S;
  /**
   * The state as a scenario's twin step reads it, when the raw state is awkward to address
   * (Slack keeps messages by channel id; a scenario names `#billing`).
   */
  view?(state: S): unknown;
  /** Registers the vendor's routes, at the vendor's own paths. */
  routes(app: Hono, twin: TwinContext<S>): void;
  errors: VendorErrors;
  /** Request headers never written to the journal (authorization and cookies always are not). */
  secretHeaders?: string[];
  /**
   * How a request header goes into the journal: a client's random values (an SDK's generated
   * idempotency key, say) made constant so that journals repeat; undefined drops the header.
   */
  journalHeader?(name: string, value: string): string | undefined;
}

/** One request as the journal keeps it: deterministic for a given seed and request sequence. */
export interface JournalEntry {
  seq: number;
  /** Virtual clock, epoch ms. */
  at: number;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  /** The fault the runtime injected, if any. */
  fault?: "latency" | "error" | "timeout" | "reset" | "rate_limit";
  /** Injected latency in ms (never measured time, so journals stay identical run to run). */
  delayMs?: number;
  response: string;
}

export type { Context as TwinRequestContext };

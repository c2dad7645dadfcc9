/**
 * One request's passage through the runtime, whatever carries it (a socket or `twin.fetch`):
 * what the journal keeps of it, and what the fault engine makes of it.
 */
import type { JournalEntry, TwinClock, TwinDefinition } from "./contract.js";
import type { FaultDecision, FaultEngine } from "./faults.js";

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
const VOLATILE = /^(?:x-stainless-|x-stripe-client-)/;
const TEXTUAL = /^$|^text\/|json|xml|x-www-form-urlencoded/;

export interface VendorAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface Exchange {
  readonly method: string;
  readonly path: string;
  /** Sets the request body the journal keeps: text as it is, bytes as `base64:<data>`. */
  setBody(body: string | Uint8Array, contentType: string, encoded: boolean): void;
  record(status: number, response: string, extra?: Partial<JournalEntry>): void;
}

/** What the transport does next: send a vendor answer, drop the connection, or run the route. */
export type Verdict =
  | { kind: "answer"; answer: VendorAnswer }
  | { kind: "reset" }
  /** Run the route; `headers` (the rate budget's) override the route's own. */
  | { kind: "pass"; headers?: Record<string, string>; extra: Partial<JournalEntry> };

export interface ExchangeRuntime {
  readonly maxBody: number;
  /** An error in the vendor's shape. */
  error(status: number, message: string, headers?: Record<string, string>): VendorAnswer;
  begin(
    method: string,
    url: string,
    headers: Headers | Record<string, string | string[] | undefined>,
  ): Exchange;
  /** An answer the runtime gives itself (413, 429, an injected 500), recorded in the journal. */
  answer(
    exchange: Exchange,
    status: number,
    message: string,
    extra?: Partial<JournalEntry>,
    headers?: Record<string, string>,
  ): VendorAnswer;
  /**
   * Applies the fault engine's decision, waiting out any latency or hang first (a promise only
   * then: most requests have no fault, and a tick per request shows in the benchmark).
   */
  judge(exchange: Exchange): Verdict | Promise<Verdict>;
}

export function createExchangeRuntime(
  definition: TwinDefinition<unknown>,
  journal: () => JournalEntry[],
  clock: TwinClock,
  faults: FaultEngine,
  maxBody: number,
): ExchangeRuntime {
  const secret = new Set((definition.secretHeaders ?? []).map((h) => h.toLowerCase()));

  const journaledHeaders = (
    headers: Headers | Record<string, string | string[] | undefined>,
  ): Record<string, string> => {
    const names = headers instanceof Headers ? [...headers.keys()] : Object.keys(headers);
    // Sorted, so that a socket's header order and a Headers object's give the same journal.
    names.sort();
    const kept: Record<string, string> = {};
    for (const name of names) {
      const key = name.toLowerCase();
      const value = headers instanceof Headers ? headers.get(name) : headers[name];
      if (value == null || UNJOURNALED.has(key) || secret.has(key)) continue;
      if (VOLATILE.test(key)) continue;
      const text = Array.isArray(value) ? value.join(", ") : value;
      const journaled = definition.journalHeader ? definition.journalHeader(key, text) : text;
      if (journaled !== undefined) kept[key] = journaled;
    }
    return kept;
  };

  const vendorAnswer = (
    status: number,
    message: string,
    extra: Record<string, string> = {},
  ): VendorAnswer => {
    const { body, headers } = definition.errors.error(status, message);
    return {
      status,
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...headers, ...extra },
    };
  };

  const runtime: ExchangeRuntime = {
    maxBody,
    error: vendorAnswer,
    begin(method, url, headers) {
      const { path, query } = splitUrl(url);
      return new JournaledExchange(journal(), {
        seq: journal().length + 1,
        at: clock.now(),
        method,
        path,
        query,
        headers: journaledHeaders(headers),
        body: "",
      });
    },
    answer(exchange, status, message, extra = {}, headers = {}) {
      const answer = vendorAnswer(status, message, headers);
      exchange.record(status, answer.body, extra);
      return answer;
    },
    judge(exchange) {
      const decision = faults.decide(exchange.method, exchange.path, clock.seconds());
      const wait = decision.delayMs + (decision.kind === "timeout" ? decision.hangMs : 0);
      if (wait > 0) return sleep(wait).then(() => verdictOf(exchange, decision));
      return verdictOf(exchange, decision);
    },
  };

  const verdictOf = (exchange: Exchange, decision: FaultDecision): Verdict => {
    switch (decision.kind) {
      case "reset":
        exchange.record(0, "", faultOf("reset", decision.delayMs));
        return { kind: "reset" };
      case "timeout":
        return {
          kind: "answer",
          answer: runtime.answer(
            exchange,
            504,
            "The request timed out",
            faultOf("timeout", decision.delayMs),
          ),
        };
      case "error":
        return {
          kind: "answer",
          answer: runtime.answer(
            exchange,
            decision.status,
            "The twin injected this error",
            faultOf("error", decision.delayMs),
          ),
        };
      case "rate_limit": {
        const headers = definition.errors.rateLimitHeaders?.(decision.bucket, false) ?? {
          "retry-after": String(decision.bucket.retryAfter),
        };
        return {
          kind: "answer",
          answer: runtime.answer(
            exchange,
            429,
            "Too many requests",
            faultOf("rate_limit", decision.delayMs),
            headers,
          ),
        };
      }
      case "pass": {
        const bucket = faults.bucketFor(exchange.method, exchange.path, clock.seconds());
        const headers = bucket && definition.errors.rateLimitHeaders?.(bucket, true);
        return {
          kind: "pass",
          ...(headers ? { headers } : {}),
          extra: decision.delayMs ? faultOf("latency", decision.delayMs) : NO_FAULT,
        };
      }
    }
  };
  return runtime;
}

const NO_FAULT: Partial<JournalEntry> = Object.freeze({});

function faultOf(fault: JournalEntry["fault"], delayMs: number): Partial<JournalEntry> {
  return delayMs ? { fault, delayMs } : { fault };
}

/** A class rather than an object of closures: one is made per request. */
class JournaledExchange implements Exchange {
  readonly method: string;
  readonly path: string;
  constructor(
    private readonly journal: JournalEntry[],
    private readonly entry: Omit<JournalEntry, "status" | "response">,
  ) {
    this.method = entry.method;
    this.path = entry.path;
  }

  setBody(body: string | Uint8Array, contentType: string, encoded: boolean): void {
    this.entry.body =
      typeof body === "string"
        ? body
        : encoded
          ? base64(body)
          : journaledResponse(body, contentType);
  }

  record(status: number, response: string, extra?: Partial<JournalEntry>): void {
    const done = this.entry as JournalEntry;
    done.status = status;
    done.response = response;
    this.journal.push(extra && extra !== NO_FAULT ? Object.assign(done, extra) : done);
  }
}

/** A body as the journal keeps it: text as it is, anything else (a tarball) as `base64:<data>`. */
export function journaledResponse(body: string | Uint8Array, contentType: string): string {
  if (typeof body === "string") return body;
  if (TEXTUAL.test(contentType)) {
    try {
      return UTF8.decode(body);
    } catch {
      // Bytes under a text type (or none): kept exactly.
    }
  }
  return base64(body);
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function base64(bytes: Uint8Array): string {
  return `base64:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}`;
}

/**
 * The path as Hono routes it (percent-escapes decoded, `%25` kept), and the query with its `?`;
 * from a full URL (`twin.fetch`) or a request target (a socket).
 */
function splitUrl(url: string): { path: string; query: string } {
  let start = 0;
  if (url.charCodeAt(0) !== 47 /* / */) {
    const scheme = url.indexOf("://");
    start = url.indexOf("/", scheme === -1 ? 0 : scheme + 3);
    if (start === -1) return { path: "/", query: "" };
  }
  const queryAt = url.indexOf("?", start);
  const raw = queryAt === -1 ? url.slice(start) : url.slice(start, queryAt);
  return {
    path: raw.includes("%") ? decodePath(raw) : raw,
    query: queryAt === -1 ? "" : url.slice(queryAt),
  };
}

/** Hono's own decoding (`decodeURI`, with `%25` kept), so the fault routes see what routes see. */
function decodePath(raw: string): string {
  const decode = (value: string) =>
    decodeURI(value.includes("%25") ? value.replace(/%25/g, "%2525") : value);
  try {
    return decode(raw);
  } catch {
    return raw.replace(/(?:%[0-9A-Fa-f]{2})+/g, (match) => {
      try {
        return decode(match);
      } catch {
        return match;
      }
    });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

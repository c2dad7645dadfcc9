/**
 * The cases every `LlmProvider` adapter must pass, run by each adapter's test against a
 * loopback server speaking that vendor's wire format, as Hono runs one suite on all routers.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LlmProvider, type LlmRequest, ProviderError } from "../../provider.js";
import {
  closedPortOrigin,
  type LoopbackServer,
  sendJson,
  sendSse,
  startLoopbackServer,
} from "./loopback-server.js";

/** An answer to write in the vendor's stream format. */
export interface WireAnswer {
  model: string;
  text?: string[];
  toolCalls?: { id: string; name: string; argumentChunks: string[] }[];
  stop: "end" | "tool_use" | "max_tokens";
  usage: { input: number; output: number };
}

export interface VendorWire {
  name: string;
  provider(origin: string, options: { apiKey: string; timeoutMs?: number }): LlmProvider;
  /** The answer as the vendor streams it, one string per event, final events included. */
  frames(answer: WireAnswer): string[];
  /** The vendor's JSON error body for an HTTP error. */
  errorBody(status: number, message: string): unknown;
}

/** Long enough for a redaction to be meaningful, shaped like no real vendor's key. */
export const TEST_KEY = "test-key-7f3a9c2e5b1d4a60";

export const hello: LlmRequest = {
  model: "test-model",
  system: "Be brief.",
  messages: [{ role: "user", content: "Hi" }],
  tools: [],
  maxTokens: 100,
};

export async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error("expected the call to fail");
}

const statusCases = [
  { status: 429, headers: { "retry-after": "7" }, kind: "rate_limit", retryAfterMs: 7000 },
  { status: 429, headers: { "retry-after-ms": "1500" }, kind: "rate_limit", retryAfterMs: 1500 },
  { status: 503, headers: { "retry-after": "2" }, kind: "overloaded", retryAfterMs: 2000 },
  { status: 500, headers: {}, kind: "server" },
  { status: 502, headers: {}, kind: "server" },
  { status: 401, headers: {}, kind: "auth" },
  { status: 403, headers: {}, kind: "auth" },
  { status: 400, headers: {}, kind: "bad_request" },
  { status: 404, headers: {}, kind: "bad_request" },
  { status: 422, headers: {}, kind: "bad_request" },
] as const;

export function describeProviderContract(wire: VendorWire): void {
  describe(`${wire.name} provider: the LlmProvider contract`, () => {
    let server: LoopbackServer;
    beforeAll(async () => {
      server = await startLoopbackServer();
    });
    afterAll(() => server.close());

    const ask = (options: { timeoutMs?: number; signal?: AbortSignal; origin?: string } = {}) =>
      wire
        .provider(options.origin ?? server.origin, {
          apiKey: TEST_KEY,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        })
        .complete(hello, options.signal ?? new AbortController().signal);
    const answer = (a: WireAnswer) => server.answer((_, res) => sendSse(res, wire.frames(a)));
    const textAnswer: WireAnswer = {
      model: "test-model-2026",
      text: ["Hel", "lo", "!"],
      stop: "end",
      usage: { input: 12, output: 3 },
    };

    it("returns the streamed text with its usage, stop reason and model, sending the key", async () => {
      answer(textAnswer);
      expect(await ask()).toEqual({
        text: "Hello!",
        toolCalls: [],
        stopReason: "end",
        usage: { inputTokens: 12, outputTokens: 3 },
        model: "test-model-2026",
      });
      const headers = Object.values(server.requests[0]?.headers ?? {}).join(" ");
      expect(headers).toContain(TEST_KEY);
    });

    it("assembles tool calls from streamed argument fragments, in order", async () => {
      answer({
        model: "m",
        text: ["Reading both."],
        toolCalls: [
          { id: "call_1", name: "read", argumentChunks: ['{"pa', 'th": "src/a', '.ts"}'] },
          { id: "call_2", name: "list", argumentChunks: ["{", '"dir": ".", "depth": 2', "}"] },
          { id: "call_3", name: "finish", argumentChunks: [] },
        ],
        stop: "tool_use",
        usage: { input: 40, output: 25 },
      });
      const response = await ask();
      expect(response.text).toBe("Reading both.");
      expect(response.stopReason).toBe("tool_use");
      expect(response.toolCalls).toEqual([
        { id: "call_1", name: "read", input: { path: "src/a.ts" } },
        { id: "call_2", name: "list", input: { dir: ".", depth: 2 } },
        { id: "call_3", name: "finish", input: {} },
      ]);
      expect(response.usage).toEqual({ inputTokens: 40, outputTokens: 25 });
    });

    it("reports an answer cut at the token limit as max_tokens", async () => {
      answer({ ...textAnswer, stop: "max_tokens" });
      expect((await ask()).stopReason).toBe("max_tokens");
    });

    it.each(statusCases)("classifies HTTP $status as $kind", async (c) => {
      server.answer((_, res) =>
        sendJson(res, c.status, wire.errorBody(c.status, "no luck"), { ...c.headers }),
      );
      const error = await failure(ask());
      expect(error).toMatchObject({ kind: c.kind, status: c.status });
      expect(error.retryAfterMs).toBe("retryAfterMs" in c ? c.retryAfterMs : undefined);
      expect(error.message).toContain(wire.name);
    });

    it("reads a retry-after given as an HTTP date", async () => {
      const at = new Date(Date.now() + 30_000).toUTCString();
      server.answer((_, res) =>
        sendJson(res, 429, wire.errorBody(429, "slow down"), { "retry-after": at }),
      );
      const error = await failure(ask());
      expect(error.kind).toBe("rate_limit");
      expect(error.retryAfterMs).toBeGreaterThan(25_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    });

    it("makes exactly one attempt: the SDK's own retries are off", async () => {
      for (const status of [500, 429, 529]) {
        server.answer((_, res) =>
          sendJson(res, status, wire.errorBody(status, "x"), { "retry-after": "0" }),
        );
        await failure(ask());
        expect(server.requests).toHaveLength(1);
      }
      server.answer((_, res) => res.socket?.destroy());
      await failure(ask());
      expect(server.requests).toHaveLength(1);
    });

    it("never puts the API key in an error, even when the server echoes it", async () => {
      server.answer((_, res) =>
        sendJson(res, 401, wire.errorBody(401, `invalid key ${TEST_KEY} for this project`)),
      );
      const error = await failure(ask());
      expect(error.kind).toBe("auth");
      expect(error.message).toContain("[redacted]");
      expect(inspect(error, { depth: 10 })).not.toContain(TEST_KEY);
      expect(JSON.stringify(error)).not.toContain(TEST_KEY);
    });

    it("classifies a refused connection, naming the server", async () => {
      const origin = await closedPortOrigin();
      const error = await failure(ask({ origin }));
      expect(error.kind).toBe("connection");
      expect(error.message).toContain("ECONNREFUSED");
      expect(error.message).toContain(origin);
    });

    it("classifies a connection reset before any answer", async () => {
      server.answer((_, res) => res.socket?.destroy());
      expect((await failure(ask())).kind).toBe("connection");
    });

    it("times out when no answer comes in time", async () => {
      server.answer(() => {});
      expect((await failure(ask({ timeoutMs: 150 }))).kind).toBe("timeout");
    });

    it("times out when the stream falls silent", async () => {
      server.answer((_, res) => sendSse(res, wire.frames(textAnswer).slice(0, 2), { end: false }));
      const error = await failure(ask({ timeoutMs: 150 }));
      expect(error.kind).toBe("timeout");
      expect(error.message).toContain("silent");
    });

    it("reports a stream that ends before its final event as a timeout", async () => {
      server.answer((_, res) => sendSse(res, wire.frames(textAnswer).slice(0, 2)));
      expect((await failure(ask())).kind).toBe("timeout");
    });

    it("reports a stream whose connection dies mid-way as a timeout", async () => {
      server.answer((_, res) => {
        sendSse(res, wire.frames(textAnswer).slice(0, 2), { end: false });
        setTimeout(() => res.socket?.destroy(), 20);
      });
      expect((await failure(ask())).kind).toBe("timeout");
    });

    it("refuses tool-call arguments that are not valid JSON, naming the tool", async () => {
      answer({
        ...textAnswer,
        toolCalls: [
          { id: "c1", name: "write", argumentChunks: ['{"path": "a.ts", "content": "x'] },
        ],
        stop: "tool_use",
      });
      const error = await failure(ask());
      expect(error.kind).toBe("malformed");
      expect(error.message).toContain("write");
    });

    it("refuses tool-call arguments that are JSON but not an object", async () => {
      answer({
        ...textAnswer,
        toolCalls: [{ id: "c1", name: "write", argumentChunks: ['["a.ts"]'] }],
        stop: "tool_use",
      });
      expect((await failure(ask())).kind).toBe("malformed");
    });

    it("rejects with the caller's abort reason, before the call and during the stream", async () => {
      const before = new AbortController();
      const reason = new Error("bolt cancelled");
      before.abort(reason);
      server.answer((_, res) => sendSse(res, wire.frames(textAnswer)));
      await expect(ask({ signal: before.signal })).rejects.toBe(reason);
      expect(server.requests).toHaveLength(0);

      const during = new AbortController();
      server.answer((_, res) => {
        sendSse(res, wire.frames(textAnswer).slice(0, 2), { end: false });
        setTimeout(() => during.abort(reason), 30);
      });
      await expect(ask({ signal: during.signal })).rejects.toBe(reason);
    });
  });
}

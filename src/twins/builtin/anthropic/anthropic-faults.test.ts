import Anthropic, { APIConnectionError, OverloadedError, RateLimitError } from "@anthropic-ai/sdk";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createTwin } from "../../runtime/create-twin.js";
import { CASSETTE_FILE, caught, closeOpened } from "../llm/test-support.js";
import { anthropicTwin } from "./index.js";
import { MODEL, start, TOOLS } from "./test-support.js";

afterAll(closeOpened);

describe("anthropic twin faults through @anthropic-ai/sdk", () => {
  it("honours 429 with retry-after through the SDK's own retries", async () => {
    const faults = {
      rules: [{ route: "POST /v1/messages", rate_limit: { limit: 1, per_seconds: 1 } }],
    };
    const { anthropic, twin } = await start({ faults }, { maxRetries: 2 });
    const ask = () =>
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 100,
        messages: [{ role: "user", content: "hello" }],
      });
    await ask();
    const started = performance.now();
    const second = await ask();
    expect(second.stop_reason).toBe("end_turn");
    expect(performance.now() - started).toBeGreaterThan(900);
    expect(twin.journal().map((entry) => [entry.status, entry.fault])).toEqual([
      [200, undefined],
      [429, "rate_limit"],
      [200, undefined],
    ]);
    expect(JSON.parse(twin.journal()[1]?.response ?? "")).toMatchObject({
      type: "error",
      error: { type: "rate_limit_error" },
    });

    const { anthropic: once } = await start({ faults });
    await once.messages.create({
      model: MODEL,
      max_tokens: 10,
      messages: [{ role: "user", content: "hello" }],
    });
    const limited = await caught(
      once.messages.create({
        model: MODEL,
        max_tokens: 10,
        messages: [{ role: "user", content: "hello" }],
      }),
    );
    expect(limited).toBeInstanceOf(RateLimitError);
    const headers = (limited as RateLimitError).headers;
    expect(headers.get("retry-after")).toBe("1");
    expect(headers.get("anthropic-ratelimit-requests-remaining")).toBe("0");
  });

  it("surfaces 529 as the SDK's overloaded error, and the runtime's latency, timeouts and resets", async () => {
    const { anthropic } = await start({
      faults: { rules: [{ error_rate: 1, error_status: 529 }] },
    });
    const overloaded = await caught(
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 10,
        messages: [{ role: "user", content: "hello" }],
      }),
    );
    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect(overloaded).toMatchObject({ status: 529, type: "overloaded_error" });

    const slow = await start({ faults: { rules: [{ latency: { fixed: 40 } }] } });
    await slow.anthropic.messages.create({
      model: MODEL,
      max_tokens: 10,
      messages: [{ role: "user", content: "hello" }],
    });
    expect(slow.twin.journal()[0]).toMatchObject({ fault: "latency", delayMs: 40, status: 200 });

    const reset = await start({ faults: { rules: [{ reset_rate: 1 }] } });
    const dropped = await caught(
      reset.anthropic.messages.create({
        model: MODEL,
        max_tokens: 10,
        messages: [{ role: "user", content: "hello" }],
      }),
    );
    expect(dropped).toBeInstanceOf(APIConnectionError);

    const hung = await start({ faults: { rules: [{ timeout_rate: 1, timeout_ms: 300 }] } });
    const timedOut = await caught(
      hung.anthropic.messages.create(
        { model: MODEL, max_tokens: 10, messages: [{ role: "user", content: "hello" }] },
        { timeout: 100 },
      ),
    );
    expect(timedOut).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  });

  it("cuts a stream mid-way: the SDK's stream rejects, and the journal keeps what was sent", async () => {
    const { anthropic, twin } = await start({ options: { stream_cut_rate: 1 } });
    const stream = anthropic.messages.stream({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: "user", content: "Write an essay on twins" }],
    });
    const error = await caught(stream.finalMessage());
    // What undici says when the connection ends mid-body.
    expect(error.message).toBe("terminated");
    // The twin journals the answer when its connection closes, just after the client sees it.
    await vi.waitFor(() => expect(twin.journal()).toHaveLength(1));
    const entry = twin.journal().at(-1);
    expect(entry?.status).toBe(200);
    expect(entry?.response).toContain("event: message_start");
    expect(entry?.response).not.toContain("message_stop");
    expect(entry?.response).toContain("fault stream_cut");
    expect(twin.state().faults).toEqual([{ completion: 1, kind: "stream_cut", turn: "essay" }]);

    // A plain answer has no stream to cut.
    const plain = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: "user", content: "hello" }],
    });
    expect(plain.stop_reason).toBe("end_turn");

    // In-process there is no connection to end: the body stops early, as journaled.
    const local = createTwin(anthropicTwin, {
      options: { cassette: CASSETTE_FILE, stream_cut_rate: 1 },
    });
    const response = await local.fetch(
      new Request("http://anthropic.twin/v1/messages", {
        method: "POST",
        headers: {
          "x-api-key": "k",
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
        body: JSON.stringify({
          model: MODEL,
          max_tokens: 100,
          stream: true,
          messages: [{ role: "user", content: "an essay" }],
        }),
      }),
    );
    const text = await response.text();
    expect(text).toContain("event: message_start");
    expect(text).not.toContain("message_stop");
    expect(local.journal()[0]?.response).toBe(text);
  });

  it("sends malformed tool JSON under the fault, plain and streamed", async () => {
    const { anthropic, twin } = await start({ options: { malformed_tool_json_rate: 1 } });
    const request = {
      model: MODEL,
      max_tokens: 500,
      tools: TOOLS,
      messages: [{ role: "user" as const, content: "fix the bug" }],
    };
    const plain = await anthropic.messages.create(request);
    const input = plain.content.find((block) => block.type === "tool_use")?.input;
    expect(typeof input).toBe("string");
    expect(() => JSON.parse(input as string)).toThrow();

    const raw = await anthropic.messages.create({ ...request, stream: true });
    let json = "";
    for await (const event of raw)
      if (event.type === "content_block_delta" && event.delta.type === "input_json_delta")
        json += event.delta.partial_json;
    expect(json.startsWith('{"path":"src/app.ts"')).toBe(true);
    expect(() => JSON.parse(json)).toThrow();
    // The SDK parses the input when the block stops, and fails there.
    const streamed = await caught(anthropic.messages.stream(request).finalMessage());
    expect(streamed.message).toMatch(/JSON/);
    expect(twin.state().faults.map((f) => f.kind)).toEqual([
      "malformed_tool_json",
      "malformed_tool_json",
      "malformed_tool_json",
    ]);
  });

  it("repeats itself: two twins, one seed, the same requests, identical journals", async () => {
    const run = async (seed = "one seed") => {
      const { anthropic, twin } = await start({
        seed,
        options: { stream_cut_rate: 0.5, malformed_tool_json_rate: 0.5 },
      });
      for (let i = 0; i < 4; i++) {
        await anthropic.messages
          .create({
            model: MODEL,
            max_tokens: 500,
            tools: TOOLS,
            messages: [{ role: "user", content: "fix the bug" }],
          })
          .catch(() => undefined);
        await anthropic.messages
          .stream({
            model: MODEL,
            max_tokens: 500,
            messages: [{ role: "user", content: "an essay" }],
          })
          .finalMessage()
          .catch(() => undefined);
      }
      await anthropic.messages.countTokens({
        model: MODEL,
        messages: [{ role: "user", content: "hi" }],
      });
      await vi.waitFor(() => expect(twin.journal()).toHaveLength(9));
      return { journal: twin.journal(), faults: twin.state().faults };
    };
    const [a, b] = [await run(), await run()];
    expect(a.faults.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    const other = await run("another seed");
    expect(other.journal).not.toEqual(a.journal);
  });
});

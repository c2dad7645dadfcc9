import OpenAI from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { afterAll, describe, expect, it, vi } from "vitest";
import { caught, closeOpened } from "../llm/test-support.js";
import { GREETING, hello, MODEL, start, TOOLS } from "./test-support.js";

afterAll(closeOpened);

describe("openai twin faults through the openai SDK", () => {
  it("honours 429 with retry-after through the SDK's own retries, and surfaces 5xx and resets", async () => {
    const faults = {
      rules: [{ route: "POST /v1/chat/completions", rate_limit: { limit: 1, per_seconds: 1 } }],
    };
    const { openai, twin } = await start({ faults }, { maxRetries: 2 });
    await openai.chat.completions.create({ model: MODEL, messages: hello });
    const second = await openai.chat.completions.create({ model: MODEL, messages: hello });
    expect(second.choices[0]?.message.content).toBe(GREETING);
    expect(twin.journal().map((entry) => [entry.status, entry.fault])).toEqual([
      [200, undefined],
      [429, "rate_limit"],
      [200, undefined],
    ]);
    expect(JSON.parse(twin.journal()[1]?.response ?? "")).toMatchObject({
      error: { type: "requests", code: "rate_limit_exceeded" },
    });

    const failing = await start({ faults: { rules: [{ error_rate: 1, error_status: 503 }] } });
    const unavailable = await caught(
      failing.openai.chat.completions.create({ model: MODEL, messages: hello }),
    );
    expect(unavailable).toBeInstanceOf(OpenAI.InternalServerError);
    expect(unavailable).toMatchObject({ status: 503, type: "server_error" });

    const reset = await start({ faults: { rules: [{ reset_rate: 1 }] } });
    const dropped = await caught(
      reset.openai.chat.completions.create({ model: MODEL, messages: hello }),
    );
    expect(dropped).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it("cuts a stream mid-way: the SDK's stream rejects, and the journal keeps what was sent", async () => {
    const { openai, twin } = await start({ options: { stream_cut_rate: 1 } });
    const stream = await openai.chat.completions.create({
      model: MODEL,
      stream: true,
      messages: [{ role: "user", content: "Write an essay on twins" }],
    });
    const seen: ChatCompletionChunk[] = [];
    const error = await caught(
      (async () => {
        for await (const chunk of stream) seen.push(chunk);
      })(),
    );
    expect(error.message).toBe("terminated");
    expect(seen.length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(twin.journal()).toHaveLength(1));
    const response = twin.journal()[0]?.response ?? "";
    expect(response).not.toContain("[DONE]");
    expect(response).not.toContain('"finish_reason":"stop"');
    expect(twin.state().faults).toEqual([{ completion: 1, kind: "stream_cut", turn: "essay" }]);
  });

  it("sends malformed tool JSON under the fault, plain and streamed", async () => {
    const { openai, twin } = await start({ options: { malformed_tool_json_rate: 1 } });
    const request = {
      model: MODEL,
      tools: TOOLS,
      messages: [{ role: "user" as const, content: "fix the bug" }],
    };
    const plain = await openai.chat.completions.create(request);
    const call = plain.choices[0]?.message.tool_calls?.[0];
    const args = call?.type === "function" ? call.function.arguments : "";
    expect(args.startsWith('{"path":"src/app.ts"')).toBe(true);
    expect(() => JSON.parse(args)).toThrow();

    const final = await openai.chat.completions.stream(request).finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(() =>
      JSON.parse(streamed?.type === "function" ? streamed.function.arguments : ""),
    ).toThrow();
    expect(twin.state().faults.map((f) => f.kind)).toEqual([
      "malformed_tool_json",
      "malformed_tool_json",
    ]);
  });

  it("repeats itself: two twins, one seed, the same requests, identical journals", async () => {
    const run = async (seed = "one seed") => {
      const { openai, twin } = await start({
        seed,
        options: { stream_cut_rate: 0.5, malformed_tool_json_rate: 0.5 },
      });
      for (let i = 0; i < 4; i++) {
        await openai.chat.completions.create({
          model: MODEL,
          tools: TOOLS,
          messages: [{ role: "user", content: "fix the bug" }],
        });
        await openai.chat.completions
          .stream({
            model: MODEL,
            messages: [{ role: "user", content: "an essay" }],
            stream_options: { include_usage: true },
          })
          .finalChatCompletion()
          .catch(() => undefined);
      }
      await openai.models.list();
      await vi.waitFor(() => expect(twin.journal()).toHaveLength(9));
      return { journal: twin.journal(), faults: twin.state().faults };
    };
    const [a, b] = [await run(), await run()];
    expect(a.faults.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    expect((await run("another seed")).journal).not.toEqual(a.journal);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmRequest } from "../../provider.js";
import {
  type LoopbackServer,
  sendJson,
  sendSse,
  sse,
  startLoopbackServer,
} from "../testing/loopback-server.js";
import {
  describeProviderContract,
  failure,
  hello,
  TEST_KEY,
  type WireAnswer,
} from "../testing/provider-contract.js";
import { createAnthropicProvider } from "./anthropic-provider.js";

const event = (data: { type: string; [key: string]: unknown }) => sse(data, data.type);

/** The Messages API's stream as Anthropic documents it, `message_stop` last. */
function anthropicFrames(answer: WireAnswer, extraBlocks: string[] = []): string[] {
  const frames = [
    event({
      type: "message_start",
      message: {
        id: "msg_01XFDUDYJgAACzvnptvVoYEL",
        type: "message",
        role: "assistant",
        content: [],
        model: answer.model,
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: answer.usage.input,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
        },
      },
    }),
    ...extraBlocks,
  ];
  let index = extraBlocks.length > 0 ? 1 : 0;
  if (answer.text) {
    frames.push(
      event({ type: "content_block_start", index, content_block: { type: "text", text: "" } }),
      event({ type: "ping" }),
    );
    for (const text of answer.text)
      frames.push(
        event({ type: "content_block_delta", index, delta: { type: "text_delta", text } }),
      );
    frames.push(event({ type: "content_block_stop", index }));
    index++;
  }
  for (const call of answer.toolCalls ?? []) {
    frames.push(
      event({
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: call.id, name: call.name, input: {} },
      }),
    );
    for (const partial_json of call.argumentChunks)
      frames.push(
        event({
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json },
        }),
      );
    frames.push(event({ type: "content_block_stop", index }));
    index++;
  }
  const stop = { end: "end_turn", tool_use: "tool_use", max_tokens: "max_tokens" }[answer.stop];
  frames.push(
    event({
      type: "message_delta",
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: answer.usage.output },
    }),
    event({ type: "message_stop" }),
  );
  return frames;
}

const errorType = (status: number) =>
  ({
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    529: "overloaded_error",
  })[status] ?? "api_error";

const anthropicError = (status: number, message: string) => ({
  type: "error",
  error: { type: errorType(status), message },
  request_id: "req_011CSHoEeqs5C35K2UUqR7Fy",
});

describeProviderContract({
  name: "anthropic",
  provider: (origin, options) => createAnthropicProvider({ ...options, baseUrl: origin }),
  frames: (answer) => anthropicFrames(answer),
  errorBody: anthropicError,
});

describe("anthropic provider: the Messages API wire format", () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(() => server.close());
  const signal = new AbortController().signal;
  const provider = () => createAnthropicProvider({ apiKey: TEST_KEY, baseUrl: server.origin });
  const done: WireAnswer = {
    model: "m",
    text: ["ok"],
    stop: "end",
    usage: { input: 1, output: 1 },
  };

  it("maps system prompt, turns, tool calls, tool results and tools into the request", async () => {
    server.answer((_, res) => sendSse(res, anthropicFrames(done)));
    const request: LlmRequest = {
      model: "claude-test",
      system: "You build software.",
      messages: [
        { role: "user", content: "Fix the bug." },
        {
          role: "assistant",
          text: "Looking.",
          toolCalls: [{ id: "toolu_1", name: "read", input: { path: "a.ts" } }],
        },
        {
          role: "tool",
          results: [
            { callId: "toolu_1", name: "read", content: "export {}" },
            { callId: "toolu_2", name: "run", content: "exit 1", isError: true },
          ],
        },
        { role: "user", content: "Also check the tests." },
        { role: "assistant", text: "", toolCalls: [{ id: "toolu_3", name: "finish", input: {} }] },
      ],
      tools: [
        {
          name: "read",
          description: "Read a file",
          inputSchema: { type: "object", properties: { path: { type: "string" } } },
        },
      ],
      maxTokens: 2048,
      temperature: 0.2,
    };
    await provider().complete(request, signal);
    const [received] = server.requests;
    expect(received?.method).toBe("POST");
    expect(received?.path).toBe("/v1/messages");
    expect(received?.headers.authorization ?? received?.headers["x-api-key"]).toContain(TEST_KEY);
    expect(received?.headers["anthropic-version"]).toBeTruthy();
    expect(received?.body).toEqual({
      model: "claude-test",
      max_tokens: 2048,
      system: "You build software.",
      messages: [
        { role: "user", content: [{ type: "text", text: "Fix the bug." }] },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Looking." },
            { type: "tool_use", id: "toolu_1", name: "read", input: { path: "a.ts" } },
          ],
        },
        {
          // Results and the user's next words form one turn, results first.
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "export {}" },
            { type: "tool_result", tool_use_id: "toolu_2", content: "exit 1", is_error: true },
            { type: "text", text: "Also check the tests." },
          ],
        },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_3", name: "finish", input: {} }],
        },
      ],
      tools: [
        {
          name: "read",
          description: "Read a file",
          input_schema: { type: "object", properties: { path: { type: "string" } } },
        },
      ],
      stream: true,
    });
  });

  it("sends no empty system or tools", async () => {
    server.answer((_, res) => sendSse(res, anthropicFrames(done)));
    await provider().complete({ ...hello, system: "" }, signal);
    expect(server.requests[0]?.body).toEqual({
      model: "test-model",
      max_tokens: 100,
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
      stream: true,
    });
  });

  it("classifies 529 overloaded_error as overloaded, with its retry-after", async () => {
    server.answer((_, res) =>
      sendJson(res, 529, anthropicError(529, "Overloaded"), { "retry-after": "3" }),
    );
    const error = await failure(provider().complete(hello, signal));
    expect(error).toMatchObject({ kind: "overloaded", status: 529, retryAfterMs: 3000 });
  });

  it("classifies an error event inside the stream by its type", async () => {
    for (const [type, kind] of [
      ["overloaded_error", "overloaded"],
      ["rate_limit_error", "rate_limit"],
      ["api_error", "server"],
    ]) {
      const frames = anthropicFrames(done).slice(0, 2);
      frames.push(sse({ type: "error", error: { type, message: "mid-stream" } }, "error"));
      server.answer((_, res) => sendSse(res, frames));
      const error = await failure(provider().complete(hello, signal));
      expect(error.kind).toBe(kind);
      expect(error.status).toBeUndefined();
    }
  });

  it("counts cached input as input, and the last cumulative usage wins", async () => {
    const frames = anthropicFrames(done);
    frames[0] = event({
      type: "message_start",
      message: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        content: [],
        model: "claude-test",
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 10,
          cache_creation_input_tokens: 100,
          cache_read_input_tokens: 1000,
          output_tokens: 1,
        },
      },
    });
    server.answer((_, res) => sendSse(res, frames));
    const response = await provider().complete(hello, signal);
    expect(response.usage).toEqual({ inputTokens: 1110, outputTokens: 1 });
    expect(response.model).toBe("claude-test");
  });

  it("leaves thinking blocks out of the text", async () => {
    const thinking = [
      event({
        type: "content_block_start",
        index: 0,
        content_block: { type: "thinking", thinking: "" },
      }),
      event({
        type: "content_block_delta",
        index: 0,
        delta: { type: "thinking_delta", thinking: "Let me see." },
      }),
      event({
        type: "content_block_delta",
        index: 0,
        delta: { type: "signature_delta", signature: "EqQBCgIYAhIM" },
      }),
      event({ type: "content_block_stop", index: 0 }),
    ];
    server.answer((_, res) => sendSse(res, anthropicFrames(done, thinking)));
    const response = await provider().complete(hello, signal);
    expect(response.text).toBe("ok");
  });

  it("maps the other stop reasons", async () => {
    const frames = anthropicFrames(done).map((frame) =>
      frame.replace('"stop_reason":"end_turn"', '"stop_reason":"refusal"'),
    );
    server.answer((_, res) => sendSse(res, frames));
    expect((await provider().complete(hello, signal)).stopReason).toBe("other");
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { LlmRequest } from "../../provider.js";
import {
  type LoopbackServer,
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
import { createOpenAiProvider } from "./openai-provider.js";

/** Chat Completions chunks as OpenAI documents them, `[DONE]` last. */
function openAiFrames(answer: WireAnswer): string[] {
  const base = {
    id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    object: "chat.completion.chunk",
    created: 1741569952,
    model: answer.model,
    service_tier: "default",
    system_fingerprint: "fp_fc9f1d7035",
  };
  const chunk = (delta: object, finish: string | null = null) =>
    sse({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
    });
  const frames = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const text of answer.text ?? []) frames.push(chunk({ content: text }));
  (answer.toolCalls ?? []).forEach((call, index) => {
    frames.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } },
        ],
      }),
    );
    for (const part of call.argumentChunks)
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
  });
  const finish = { end: "stop", tool_use: "tool_calls", max_tokens: "length" }[answer.stop];
  frames.push(chunk({}, finish));
  frames.push(
    sse({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: answer.usage.input,
        completion_tokens: answer.usage.output,
        total_tokens: answer.usage.input + answer.usage.output,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
      },
    }),
  );
  frames.push(sse("[DONE]"));
  return frames;
}

describeProviderContract({
  name: "openai",
  provider: (origin, options) => createOpenAiProvider({ ...options, baseUrl: `${origin}/v1` }),
  frames: openAiFrames,
  errorBody: (status, message) => ({
    error: {
      message,
      type: status === 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error",
      param: null,
      code: status === 429 ? "rate_limit_exceeded" : null,
    },
  }),
});

describe("openai provider: the Chat Completions wire format", () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(() => server.close());
  const signal = new AbortController().signal;
  const provider = () => createOpenAiProvider({ apiKey: TEST_KEY, baseUrl: `${server.origin}/v1` });
  const done: WireAnswer = {
    model: "m",
    text: ["ok"],
    stop: "end",
    usage: { input: 1, output: 1 },
  };

  it("maps system prompt, turns, tool calls, tool results and tools into the request", async () => {
    server.answer((_, res) => sendSse(res, openAiFrames(done)));
    const request: LlmRequest = {
      model: "gpt-test",
      system: "You build software.",
      messages: [
        { role: "user", content: "Fix the bug." },
        {
          role: "assistant",
          text: "Looking.",
          toolCalls: [{ id: "call_9", name: "read", input: { path: "a.ts" } }],
        },
        {
          role: "tool",
          results: [
            { callId: "call_9", name: "read", content: "export {}" },
            { callId: "call_10", name: "run", content: "exit 1", isError: true },
          ],
        },
        { role: "assistant", text: "", toolCalls: [{ id: "call_11", name: "finish", input: {} }] },
        { role: "assistant", text: "Done.", toolCalls: [] },
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
    expect(received?.path).toBe("/v1/chat/completions");
    expect(received?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(received?.body).toEqual({
      model: "gpt-test",
      messages: [
        { role: "system", content: "You build software." },
        { role: "user", content: "Fix the bug." },
        {
          role: "assistant",
          content: "Looking.",
          tool_calls: [
            {
              id: "call_9",
              type: "function",
              function: { name: "read", arguments: '{"path":"a.ts"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_9", content: "export {}" },
        { role: "tool", tool_call_id: "call_10", content: "ERROR: exit 1" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_11", type: "function", function: { name: "finish", arguments: "{}" } },
          ],
        },
        { role: "assistant", content: "Done." },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "read",
            description: "Read a file",
            parameters: { type: "object", properties: { path: { type: "string" } } },
          },
        },
      ],
      max_tokens: 2048,
      temperature: 0.2,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("sends no empty tools, system or temperature", async () => {
    server.answer((_, res) => sendSse(res, openAiFrames(done)));
    await provider().complete({ ...hello, system: "" }, signal);
    expect(server.requests[0]?.body).toEqual({
      model: "test-model",
      messages: [{ role: "user", content: "Hi" }],
      max_tokens: 100,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("uses max_completion_tokens on OpenAI's own API, which refuses max_tokens", async () => {
    server.answer((_, res) => sendSse(res, openAiFrames(done)));
    // The injected fetch sends api.openai.com's requests to the loopback server instead.
    const toLoopback: typeof fetch = (url, init) =>
      fetch(String(url).replace("https://api.openai.com", server.origin), init);
    await createOpenAiProvider({ apiKey: TEST_KEY, fetch: toLoopback }).complete(hello, signal);
    expect(server.requests[0]?.body).toMatchObject({ max_completion_tokens: 100 });
    expect(server.requests[0]?.body).not.toHaveProperty("max_tokens");
  });

  it("reads nothing from process.env: no organization or project header leaks in", async () => {
    vi.stubEnv("OPENAI_ORG_ID", "org-from-env");
    vi.stubEnv("OPENAI_PROJECT_ID", "proj-from-env");
    try {
      server.answer((_, res) => sendSse(res, openAiFrames(done)));
      await provider().complete(hello, signal);
      expect(server.requests[0]?.headers).not.toHaveProperty("openai-organization");
      expect(server.requests[0]?.headers).not.toHaveProperty("openai-project");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("treats tool calls ending with finish_reason stop (older Ollama) as tool use", async () => {
    const frames = openAiFrames({
      ...done,
      toolCalls: [{ id: "call_1", name: "list", argumentChunks: ['{"dir":"."}'] }],
      stop: "end",
    });
    server.answer((_, res) => sendSse(res, frames));
    const response = await provider().complete(hello, signal);
    expect(response.stopReason).toBe("tool_use");
    expect(response.toolCalls).toEqual([{ id: "call_1", name: "list", input: { dir: "." } }]);
  });

  it("classifies an error sent inside the stream", async () => {
    const frames = openAiFrames(done).slice(0, 2);
    frames.push(sse({ error: { message: "The server had an error", type: "server_error" } }));
    server.answer((_, res) => sendSse(res, frames));
    const error = await failure(provider().complete(hello, signal));
    expect(error.kind).toBe("server");
    expect(error.status).toBeUndefined();
  });

  it("calls an exhausted quota auth, not a rate limit worth waiting for", async () => {
    server.answer((_, res) => {
      res.writeHead(429, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: {
            message: "You exceeded your current quota",
            type: "insufficient_quota",
            param: null,
            code: "insufficient_quota",
          },
        }),
      );
    });
    expect((await failure(provider().complete(hello, signal))).kind).toBe("auth");
  });

  it("reports a chunk that is not JSON as malformed", async () => {
    const frames = [...openAiFrames(done).slice(0, 1), "data: {not json\n\n"];
    server.answer((_, res) => sendSse(res, frames));
    expect((await failure(provider().complete(hello, signal))).kind).toBe("malformed");
  });
});

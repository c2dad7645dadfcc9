import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../common/index.js";
import { createProvider } from "./create-provider.js";
import {
  type LoopbackServer,
  sendSse,
  sse,
  startLoopbackServer,
} from "./testing/loopback-server.js";
import { hello } from "./testing/provider-contract.js";

/** The smallest complete answer of each vendor. */
const openAiDone = [
  sse({
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta: { content: "ok" }, finish_reason: "stop" }],
  }),
  sse("[DONE]"),
];
const anthropicDone = [
  sse(
    {
      type: "message_start",
      message: {
        id: "msg",
        type: "message",
        role: "assistant",
        content: [],
        model: "m",
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    },
    "message_start",
  ),
  sse(
    {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 1 },
    },
    "message_delta",
  ),
  sse({ type: "message_stop" }, "message_stop"),
];

describe("createProvider", () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(() => server.close());
  const signal = new AbortController().signal;
  const serve = (frames: string[]) => server.answer((_, res) => sendSse(res, frames));
  const sentKey = () => {
    const headers = server.requests[0]?.headers ?? {};
    return String(headers.authorization ?? headers["x-api-key"] ?? "").replace(/^Bearer /, "");
  };

  it("builds openai from OPENAI_API_KEY and OPENAI_BASE_URL", async () => {
    serve(openAiDone);
    const provider = createProvider(
      { provider: "openai" },
      { OPENAI_API_KEY: "key-from-openai-var", OPENAI_BASE_URL: `${server.origin}/v1` },
    );
    expect(provider.name).toBe("openai");
    expect((await provider.complete(hello, signal)).text).toBe("ok");
    expect(sentKey()).toBe("key-from-openai-var");
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
  });

  it("builds anthropic from ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL", async () => {
    serve(anthropicDone);
    const provider = createProvider(
      { provider: "anthropic" },
      { ANTHROPIC_API_KEY: "key-from-anthropic-var", ANTHROPIC_BASE_URL: server.origin },
    );
    expect(provider.name).toBe("anthropic");
    expect((await provider.complete(hello, signal)).stopReason).toBe("end");
    expect(sentKey()).toBe("key-from-anthropic-var");
  });

  it("prefers api_key_env and base_url from factory.yaml to the vendor's variables", async () => {
    serve(openAiDone);
    const provider = createProvider(
      { provider: "openai", api_key_env: "TEAM_OPENAI_KEY", base_url: `${server.origin}/v1` },
      {
        TEAM_OPENAI_KEY: "team-key-123456",
        OPENAI_API_KEY: "personal-key-123456",
        OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      },
    );
    await provider.complete(hello, signal);
    expect(sentKey()).toBe("team-key-123456");
  });

  it("refuses a missing key with a hint naming the variable to set", () => {
    const attempt = (config: Parameters<typeof createProvider>[0], env = {}) => {
      try {
        createProvider(config, env);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return error as InputError;
      }
      throw new Error("expected createProvider to refuse");
    };
    expect(attempt({ provider: "openai" })).toMatchObject({
      code: "provider-key-missing",
      exitCode: 2,
      hint: expect.stringContaining("export OPENAI_API_KEY="),
    });
    expect(attempt({ provider: "anthropic" }).hint).toContain("ANTHROPIC_API_KEY");
    // A named variable has no fallback: the vendor's own key could bill another account.
    const named = attempt(
      { provider: "anthropic", api_key_env: "CLAUDE_KEY" },
      {
        ANTHROPIC_API_KEY: "other-account-key",
      },
    );
    expect(named.message).toContain("CLAUDE_KEY");
    expect(named.hint).toContain("export CLAUDE_KEY=");
    expect(`${named.message} ${named.hint}`).not.toContain("other-account-key");
    // An empty variable is no key, and a remote server needs one.
    expect(
      attempt(
        { provider: "openai", base_url: "https://llm.example.com/v1" },
        { OPENAI_API_KEY: "" },
      ).code,
    ).toBe("provider-key-missing");
  });

  it("accepts no key for a server on loopback (Ollama, a twin)", async () => {
    serve(openAiDone);
    const provider = createProvider({ provider: "openai", base_url: `${server.origin}/v1` }, {});
    expect((await provider.complete(hello, signal)).text).toBe("ok");
    expect(sentKey()).not.toBe("");
  });

  it("refuses a base URL variable that is not a URL", () => {
    expect(() =>
      createProvider({ provider: "openai" }, { OPENAI_API_KEY: "k", OPENAI_BASE_URL: "localhost" }),
    ).toThrow(
      expect.objectContaining({
        code: "provider-base-url-invalid",
        hint: expect.stringContaining("OPENAI_BASE_URL"),
      }),
    );
  });

  it("passes the timeout on", async () => {
    server.answer(() => {});
    const provider = createProvider(
      { provider: "openai", base_url: `${server.origin}/v1` },
      {},
      { timeoutMs: 100 },
    );
    await expect(provider.complete(hello, signal)).rejects.toMatchObject({ kind: "timeout" });
  });
});

import Anthropic, { type APIError } from "@anthropic-ai/sdk";
import type { RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { afterAll, describe, expect, it } from "vitest";
import { createTwin, type Twin } from "../../runtime/create-twin.js";
import type { LlmState } from "../llm/index.js";
import { CASSETTE_FILE, caught, closeOpened } from "../llm/test-support.js";
import { anthropicTwin } from "./index.js";
import { afterReading, MODEL, READ_INPUT, start, TOOLS } from "./test-support.js";

afterAll(closeOpened);

describe("anthropic twin through @anthropic-ai/sdk", () => {
  it("answers a plain message from the cassette, with usage", async () => {
    const { anthropic } = await start();
    const message = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 200,
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      model: MODEL,
      stop_reason: "end_turn",
      content: [{ type: "text", text: "Hello! I am a scripted model. What shall we build today?" }],
    });
    expect(message.id).toMatch(/^msg_01[0-9A-Za-z]{22}$/);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBe(Math.ceil(56 / 4));
  });

  it("streams text as Anthropic does, event by event", async () => {
    const { anthropic } = await start();
    const raw = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 200,
      stream: true,
      messages: [{ role: "user", content: "hello there" }],
    });
    const events: RawMessageStreamEvent[] = [];
    for await (const event of raw) events.push(event);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("message_start");
    expect(types.slice(1, 2)).toEqual(["content_block_start"]);
    expect(types.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    const deltas = events.flatMap((e) =>
      e.type === "content_block_delta" && e.delta.type === "text_delta" ? [e.delta.text] : [],
    );
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join("")).toBe("Hello! I am a scripted model. What shall we build today?");
    const last = events.at(-2);
    expect(last).toMatchObject({ type: "message_delta", delta: { stop_reason: "end_turn" } });
    expect(last?.type === "message_delta" && last.usage.output_tokens).toBe(14);

    const stream = anthropic.messages.stream({
      model: MODEL,
      max_tokens: 200,
      messages: [{ role: "user", content: "hello again" }],
    });
    let streamed = "";
    stream.on("text", (text) => {
      streamed += text;
    });
    const final = await stream.finalMessage();
    expect(streamed).toBe("Hello! I am a scripted model. What shall we build today?");
    expect(final.usage).toMatchObject({ output_tokens: 14 });
    expect(final.usage.input_tokens).toBeGreaterThan(0);
  });

  it("runs a tool round trip: tool_use, then the result, then the cassette's answer", async () => {
    const { anthropic } = await start();
    const first = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 500,
      tools: TOOLS,
      messages: [{ role: "user", content: "Please fix the bug in the counter" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    const toolUse = first.content.find((block) => block.type === "tool_use");
    expect(toolUse).toMatchObject({ name: "read_file", input: READ_INPUT });
    expect(toolUse?.id).toMatch(/^toolu_01[0-9A-Za-z]{22}$/);
    if (toolUse?.type !== "tool_use") throw new Error("no tool_use block");

    const ask = () =>
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 500,
        system: "You are a careful engineer.",
        tools: TOOLS,
        messages: afterReading(toolUse),
      });
    const second = await ask();
    expect(second).toMatchObject({
      stop_reason: "end_turn",
      content: [
        { type: "text", text: "The loop stops one short; I changed `<` to `<=` in src/app.ts." },
      ],
      usage: { input_tokens: 321, output_tokens: 17 },
    });
    // Stateless: the same conversation again (a retry) gets the same answer.
    expect((await ask()).content).toEqual(second.content);
  });

  it("streams a tool call's input as JSON fragments the SDK assembles into the cassette's input", async () => {
    const { anthropic, twin } = await start();
    const stream = anthropic.messages.stream({
      model: MODEL,
      max_tokens: 500,
      tools: TOOLS,
      messages: [{ role: "user", content: "fix the bug please" }],
    });
    const fragments: string[] = [];
    stream.on("inputJson", (partial) => {
      if (partial) fragments.push(partial);
    });
    const final = await stream.finalMessage();
    expect(fragments.length).toBeGreaterThanOrEqual(3);
    expect(fragments.join("")).toBe(JSON.stringify(READ_INPUT));
    expect(final.content.map((block) => block.type)).toEqual(["text", "tool_use"]);
    expect(final.content[1]).toMatchObject({
      type: "tool_use",
      name: "read_file",
      input: READ_INPUT,
    });
    expect(final.stop_reason).toBe("tool_use");
    expect(twin.journal().at(-1)?.response).toContain('"type":"input_json_delta"');
  });

  it("stops at max_tokens, counts tokens, and answers without a cassette", async () => {
    const { anthropic } = await start();
    const cut = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 8,
      messages: [{ role: "user", content: "Write an essay on twins" }],
    });
    expect(cut.stop_reason).toBe("max_tokens");
    expect(cut.content[0]?.type === "text" && cut.content[0].text.length).toBe(32);

    const short = await anthropic.messages.countTokens({
      model: MODEL,
      messages: [{ role: "user", content: "hi" }],
    });
    const long = await anthropic.messages.countTokens({
      model: MODEL,
      system: "You are a careful engineer.",
      tools: TOOLS,
      messages: [{ role: "user", content: "hi ".repeat(100) }],
    });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens + 75);

    const bare = await start({ options: { cassette: undefined } });
    const answer = await bare.anthropic.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: "user", content: "anything at all" }],
    });
    expect(answer.content).toEqual([
      {
        type: "text",
        text: 'This is the anthropic twin (no cassette loaded). You said: "anything at all"',
      },
    ]);
  });

  it("names the closest turn and its failed conditions when no turn matches", async () => {
    const { anthropic } = await start();
    const error = await caught(
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 100,
        system: "You are a careful engineer.",
        tools: TOOLS,
        messages: [
          ...afterReading({ id: "toolu_x", name: "read_file", input: READ_INPUT }).slice(0, 2),
          {
            role: "user",
            content: [{ type: "tool_result", tool_use_id: "toolu_x", content: "ENOENT" }],
          },
        ],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const refused = error as InstanceType<typeof Anthropic.BadRequestError>;
    expect(refused.status).toBe(400);
    expect(refused.type).toBe("invalid_request_error");
    expect(refused.apiMessage).toContain('Closest: turn "write-fix" (3 of 4 conditions hold)');
    expect(refused.apiMessage).toContain(
      'failed: last_tool_result_contains "export function": the last tool result is "ENOENT"',
    );
    expect(refused.apiMessage).toContain("coding-agent.cassette.yaml");
  });

  it("refuses a bad body with a 400 naming the field, and a missing key with a 401", async () => {
    const { anthropic, served, twin } = await start();
    const noText = await caught(
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 100,
        messages: [{ role: "user", content: [{ type: "text" } as never] }],
      }),
    );
    expect(noText).toBeInstanceOf(Anthropic.BadRequestError);
    expect((noText as APIError).apiMessage).toBe("messages.0.content.0.text: Field required");
    const noLimit = await caught(
      anthropic.messages.create({
        model: MODEL,
        messages: [{ role: "user", content: "hi" }],
      } as never),
    );
    expect((noLimit as APIError).apiMessage).toBe("max_tokens: Field required");
    const badRole = await caught(
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 100,
        messages: [{ role: "robot", content: "hi" } as never],
      }),
    );
    expect((badRole as APIError).apiMessage).toMatch(/^messages\.0\.role: /);

    const keyless = await caught(
      anthropic.messages.create(
        { model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "hello" }] },
        { headers: { authorization: null } },
      ),
    );
    expect(keyless).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(keyless).toMatchObject({ status: 401, type: "authentication_error" });

    // The API's own header works too, and the journal never keeps a key.
    const byHeader = new Anthropic({
      apiKey: null,
      baseURL: served.url,
      maxRetries: 0,
      defaultHeaders: { "x-api-key": "sk-ant-secret-header", authorization: null },
    });
    const message = await byHeader.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: "user", content: "hello" }],
    });
    expect(message.stop_reason).toBe("end_turn");
    const journal = JSON.stringify(twin.journal());
    expect(journal).not.toContain("sk-ant-");
    expect(twin.journal().at(-1)?.headers).toHaveProperty("anthropic-version");
  });

  it("answers in-process, through twin.fetch, exactly as over HTTP", async () => {
    const journalOf = async (anthropic: Anthropic, twin: Twin<LlmState>) => {
      await anthropic.messages.create({
        model: MODEL,
        max_tokens: 100,
        messages: [{ role: "user", content: "hello" }],
      });
      const final = await anthropic.messages
        .stream({
          model: MODEL,
          max_tokens: 500,
          tools: TOOLS,
          messages: [{ role: "user", content: "fix the bug" }],
        })
        .finalMessage();
      expect(final.content[1]).toMatchObject({ input: READ_INPUT });
      return twin.journal();
    };
    const overHttp = await start();
    const local = createTwin(anthropicTwin, {
      seed: "llm-suite",
      options: { cassette: CASSETTE_FILE },
    });
    const inProcess = new Anthropic({
      apiKey: "sk-ant-twin",
      baseURL: "http://anthropic.twin",
      maxRetries: 0,
      fetch: (input, init) => local.fetch(new Request(input, init)),
    });
    expect(await journalOf(inProcess, local)).toEqual(
      await journalOf(overHttp.anthropic, overHttp.twin),
    );
  });
});

import OpenAI from "openai";
import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { afterAll, describe, expect, it } from "vitest";
import { createTwin, type Twin } from "../../runtime/create-twin.js";
import type { LlmState } from "../llm/index.js";
import { APP_SOURCE, CASSETTE_FILE, caught, closeOpened } from "../llm/test-support.js";
import { openaiTwin } from "./index.js";
import { GREETING, hello, MODEL, READ_INPUT, start, TOOLS } from "./test-support.js";

afterAll(closeOpened);

describe("openai twin through the openai SDK", () => {
  it("answers a plain completion from the cassette, with usage", async () => {
    const { openai } = await start();
    const completion = await openai.chat.completions.create({ model: MODEL, messages: hello });
    expect(completion).toMatchObject({
      object: "chat.completion",
      model: MODEL,
      choices: [
        { index: 0, finish_reason: "stop", message: { role: "assistant", content: GREETING } },
      ],
    });
    expect(completion.id).toMatch(/^chatcmpl-[0-9A-Za-z]{29}$/);
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBe(14);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it("streams chunks, then the usage chunk when asked, then [DONE]", async () => {
    const { openai, twin } = await start();
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: hello,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe(GREETING);
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(2);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ completion_tokens: 14 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(twin.journal().at(-1)?.response.endsWith("data: [DONE]\n\n")).toBe(true);

    const helper = openai.chat.completions.stream({ model: MODEL, messages: hello });
    const final = await helper.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(GREETING);
  });

  it("runs a tool round trip: tool_calls, then the tool message, then the cassette's answer", async () => {
    const { openai } = await start();
    const first = await openai.chat.completions.create({
      model: MODEL,
      tools: TOOLS,
      messages: [{ role: "user", content: "Please fix the bug in the counter" }],
    });
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    const call = choice?.message.tool_calls?.[0];
    if (call?.type !== "function") throw new Error("no function call");
    expect(call.id).toMatch(/^call_[0-9A-Za-z]{24}$/);
    expect(call.function.name).toBe("read_file");
    expect(JSON.parse(call.function.arguments)).toEqual(READ_INPUT);

    const ask = () =>
      openai.chat.completions.create({
        model: MODEL,
        tools: TOOLS,
        messages: [
          { role: "system", content: "You are a careful engineer." },
          { role: "user", content: "Please fix the bug in the counter" },
          choice?.message as ChatCompletionMessageParam,
          { role: "tool", tool_call_id: call.id, content: APP_SOURCE },
        ],
      });
    const second = await ask();
    expect(second.choices[0]).toMatchObject({
      finish_reason: "stop",
      message: { content: "The loop stops one short; I changed `<` to `<=` in src/app.ts." },
    });
    expect(second.usage).toMatchObject({
      prompt_tokens: 321,
      completion_tokens: 17,
      total_tokens: 338,
    });
    expect((await ask()).choices[0]?.message).toEqual(second.choices[0]?.message);
  });

  it("streams tool-call arguments in fragments the SDK assembles into the cassette's input", async () => {
    const { openai } = await start();
    const stream = openai.chat.completions.stream({
      model: MODEL,
      tools: TOOLS,
      messages: [{ role: "user", content: "fix the bug please" }],
    });
    const fragments: string[] = [];
    stream.on("tool_calls.function.arguments.delta", (event) => {
      fragments.push(event.arguments_delta);
    });
    const final = await stream.finalChatCompletion();
    expect(fragments.length).toBeGreaterThanOrEqual(3);
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual(READ_INPUT);
    expect(call?.id).toMatch(/^call_/);
  });

  it("stops at the token limit, lists models, and answers without a cassette", async () => {
    const { openai } = await start();
    const cut = await openai.chat.completions.create({
      model: MODEL,
      max_completion_tokens: 8,
      messages: [{ role: "user", content: "Write an essay on twins" }],
    });
    expect(cut.choices[0]?.finish_reason).toBe("length");
    expect(cut.choices[0]?.message.content).toHaveLength(32);

    const models = await openai.models.list();
    expect(models.data.map((m) => m.id)).toContain("gpt-4o");
    expect(await openai.models.retrieve("gpt-4o")).toMatchObject({ id: "gpt-4o", object: "model" });

    const limited = await start({ options: { models: ["gpt-twin"] } });
    expect((await limited.openai.models.list()).data.map((m) => m.id)).toEqual(["gpt-twin"]);
    const unknown = await caught(
      limited.openai.chat.completions.create({ model: MODEL, messages: hello }),
    );
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown).toMatchObject({ status: 404, code: "model_not_found" });

    const bare = await start({ options: { cassette: undefined } });
    const answer = await bare.openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "anything at all" }],
    });
    expect(answer.choices[0]?.message.content).toBe(
      'This is the openai twin (no cassette loaded). You said: "anything at all"',
    );
  });

  it("names the closest turn and its failed conditions when no turn matches", async () => {
    const { openai } = await start();
    const error = await caught(
      openai.chat.completions.create({
        model: MODEL,
        tools: TOOLS,
        messages: [
          { role: "developer", content: "Be careful." },
          { role: "user", content: "fix it" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "read_file", arguments: "{}" } },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: "ENOENT" },
        ],
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const refused = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(refused).toMatchObject({
      status: 400,
      type: "invalid_request_error",
      code: "twin_cassette_unmatched",
      param: "messages",
    });
    expect(refused.message).toContain('Closest: turn "write-fix" (3 of 4 conditions hold)');
    expect(refused.message).toContain(
      'failed: last_tool_result_contains "export function": the last tool result is "ENOENT"',
    );
  });

  it("refuses a bad body with a 400 naming the parameter, and a missing key with a 401", async () => {
    const { openai, twin } = await start();
    const noContent = await caught(
      openai.chat.completions.create({ model: MODEL, messages: [{ role: "user" } as never] }),
    );
    expect(noContent).toBeInstanceOf(OpenAI.BadRequestError);
    expect(noContent).toMatchObject({
      param: "messages[0].content",
      code: "missing_required_parameter",
    });
    const badLimit = await caught(
      openai.chat.completions.create({
        model: MODEL,
        messages: hello,
        max_tokens: "many" as never,
      }),
    );
    expect(badLimit).toMatchObject({ status: 400, param: "max_tokens", code: "invalid_type" });
    const badRole = await caught(
      openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: "robot", content: "hi" } as never],
      }),
    );
    expect(badRole).toMatchObject({ status: 400, param: "messages[0].role" });

    const keyless = await caught(
      openai.chat.completions.create(
        { model: MODEL, messages: hello },
        { headers: { authorization: null } },
      ),
    );
    expect(keyless).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(keyless).toMatchObject({ status: 401 });
    expect(JSON.stringify(twin.journal())).not.toContain("sk-twin");
  });

  it("answers in-process, through twin.fetch, exactly as over HTTP", async () => {
    const journalOf = async (openai: OpenAI, twin: Twin<LlmState>) => {
      await openai.chat.completions.create({ model: MODEL, messages: hello });
      const final = await openai.chat.completions
        .stream({
          model: MODEL,
          tools: TOOLS,
          messages: [{ role: "user", content: "fix the bug" }],
        })
        .finalChatCompletion();
      const call = final.choices[0]?.message.tool_calls?.[0];
      expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual(READ_INPUT);
      return twin.journal();
    };
    const overHttp = await start();
    const local = createTwin(openaiTwin, {
      seed: "llm-suite",
      options: { cassette: CASSETTE_FILE },
    });
    const inProcess = new OpenAI({
      apiKey: "sk-twin",
      baseURL: "http://openai.twin/v1",
      maxRetries: 0,
      fetch: (input, init) => local.fetch(new Request(input, init)),
    });
    expect(await journalOf(inProcess, local)).toEqual(
      await journalOf(overHttp.openai, overHttp.twin),
    );
  });
});

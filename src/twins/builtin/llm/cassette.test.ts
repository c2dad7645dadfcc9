import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../common/index.js";
import { createTwin } from "../../runtime/create-twin.js";
import { anthropicTwin } from "../anthropic/index.js";
import {
  type Conversation,
  jsonDeltas,
  type LlmCassette,
  malformJson,
  matchTurn,
  parseLlmCassette,
  readLlmCassette,
  readLlmSettings,
  textDeltas,
} from "./index.js";
import { CASSETTE_FILE } from "./test-support.js";

const dir = mkdtempSync(join(tmpdir(), "llm-cassette-"));
function cassetteFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function cassette(turns: unknown[]): LlmCassette {
  const parsed = parseLlmCassette({ turns });
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join("; "));
  return parsed.value;
}

const conversation = (over: Partial<Conversation> = {}): Conversation => ({
  system: "",
  tools: [],
  messages: [{ role: "user", text: "Hello" }],
  ...over,
});

describe("LLM cassettes", () => {
  it("reads the suites' cassette file", () => {
    const read = readLlmCassette(CASSETTE_FILE);
    expect(read.ok && read.value.turns.map((t) => t.id)).toEqual([
      "greet",
      "read-file",
      "write-fix",
      "essay",
    ]);
  });

  it("names the file, line and field of each problem", () => {
    const file = cassetteFile(
      "bad.yaml",
      [
        "turns:",
        "  - id: one",
        "    match: { last_user_contain: hi }",
        "    reply: { text: hi }",
        "  - id: one",
        "    reply: { stop: end }",
        "  - id: three",
        "    reply: { text: x, stop: tool_use, usage: { input_tokens: -1 } }",
      ].join("\n"),
    );
    const read = readLlmCassette(file);
    if (read.ok) throw new Error("expected problems");
    const found = read.issues.map((i) => `${i.line}:${i.path} ${i.message} | ${i.hint}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^3:turns\.0\.match\.last_user_contain unknown field .*did you mean "last_user_contains"\?$/,
        ),
        expect.stringMatching(/^6:turns\.1\.reply .*a reply needs `text`, `tool_calls` or both/),
        expect.stringMatching(/^8:turns\.2\.reply\.stop .*`stop: tool_use` needs `tool_calls`/),
        expect.stringMatching(/^8:turns\.2\.reply\.usage\.input_tokens /),
      ]),
    );
    expect(read.issues.every((i) => i.file === file)).toBe(true);
    const duplicate = readLlmCassette(
      cassetteFile(
        "twice.yaml",
        "turns:\n  - { id: a, reply: { text: x } }\n  - { id: a, reply: { text: y } }\n",
      ),
    );
    expect(!duplicate.ok && duplicate.issues[0]).toMatchObject({ line: 3, path: "turns.1.id" });
    const broken = readLlmCassette(cassetteFile("broken.yaml", "turns: [\n"));
    expect(!broken.ok && broken.issues[0]?.rule).toBe("yaml-syntax");
    const missing = readLlmCassette(join(dir, "nowhere.yaml"));
    expect(!missing.ok && missing.issues[0]?.rule).toBe("cassette-unreadable");
  });

  it("stops a twin from starting with a bad cassette or option, saying where and what", () => {
    const file = cassetteFile("no-reply.yaml", "turns:\n  - id: lonely\n    match: { step: 0 }\n");
    const twin = createTwin(anthropicTwin, { options: { cassette: file } });
    expect(() => twin.serve()).toThrow(InputError);
    expect(() => twin.serve()).toThrow(`${file}:2:`);
    expect(() => twin.serve()).toThrow('missing required field "turns.0.reply"');
    expect(() => readLlmSettings("openai", { cassette: { turns: [{ id: "x" }] } })).toThrow(
      "(inline cassette)",
    );
    const misspelt = (() => {
      try {
        readLlmSettings("openai", { stream_cut: 0.5 });
      } catch (error) {
        return error as InputError;
      }
      return undefined;
    })();
    expect(misspelt).toMatchObject({
      message: 'the openai twin has no option "stream_cut"',
      hint: 'did you mean "stream_cut_rate"?',
    });
    expect(() => readLlmSettings("openai", { malformed_tool_json_rate: 2 })).toThrow(
      "malformed_tool_json_rate",
    );
  });
});

describe("the turn matcher", () => {
  const turns = cassette([
    { id: "tools", match: { tools_include: ["a", "b"], step: 0 }, reply: { text: "1" } },
    { id: "after-a", match: { after_tool: "a" }, reply: { text: "2" } },
    {
      id: "sys",
      match: { system_contains: "CAREFUL", last_user_contains: "hello" },
      reply: { text: "3" },
    },
    { id: "any", reply: { text: "4" } },
  ]);

  it("answers with the first turn in file order whose conditions all hold", () => {
    const offered = [
      { name: "a", description: "", schema: {} },
      { name: "b", description: "", schema: {} },
    ];
    const pick = (c: Conversation) => {
      const outcome = matchTurn(turns, c);
      return outcome.ok ? outcome.turn.id : outcome.message;
    };
    expect(pick(conversation({ tools: offered }))).toBe("tools");
    expect(pick(conversation({ tools: offered.slice(0, 1) }))).toBe("any");
    expect(pick(conversation({ system: "be careful" }))).toBe("sys");
    expect(
      pick(
        conversation({
          tools: offered,
          messages: [
            { role: "user", text: "go" },
            {
              role: "assistant",
              text: "",
              toolCalls: [
                { id: "1", name: "b", input: {} },
                { id: "2", name: "a", input: {} },
              ],
            },
            {
              role: "tool",
              results: [
                { callId: "1", name: "b", text: "", isError: false },
                { callId: "2", name: "a", text: "", isError: false },
              ],
            },
          ],
        }),
      ),
    ).toBe("after-a");
  });

  it("names the closest turn (most conditions holding, earliest on a tie) and what failed", () => {
    const strict = cassette([
      { id: "first", match: { step: 1, last_user_contains: "x" }, reply: { text: "1" } },
      {
        id: "second",
        match: { step: 0, last_user_contains: "nope", after_tool: "t" },
        reply: { text: "2" },
      },
      { id: "third", match: { step: 0, system_contains: "nope" }, reply: { text: "3" } },
    ]);
    const outcome = matchTurn(strict, conversation());
    expect(outcome).toEqual({
      ok: false,
      message:
        'no turn of (inline cassette) matches this request. Closest: turn "second" (1 of 3 conditions hold); ' +
        'failed: last_user_contains "nope": the last user message is "Hello"; ' +
        'after_tool "t": the last message is a user message, not a tool result',
    });
  });
});

describe("stream pieces and faults", () => {
  it("cuts text at words and JSON anywhere, losing nothing", () => {
    const text = "Digital twins stand in for the services a program talks to.";
    expect(textDeltas(text).join("")).toBe(text);
    expect(textDeltas(text).length).toBeGreaterThan(2);
    expect(textDeltas("")).toEqual([]);
    const json = JSON.stringify({ path: "src/app.ts", note: "héllo 🙂" });
    expect(jsonDeltas(json).join("")).toBe(json);
    expect(jsonDeltas(json).length).toBeGreaterThanOrEqual(3);
    expect(jsonDeltas("{}")).toEqual(["{", "}"]);
  });

  it("malforms JSON so that no parser accepts it", () => {
    for (const json of ["{}", '{"a":1}', '{"a":{"b":[1,2]}}']) {
      expect(() => JSON.parse(malformJson(json))).toThrow();
      expect(malformJson(json).startsWith(json.slice(0, -1))).toBe(true);
    }
  });
});

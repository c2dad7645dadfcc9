import { describe, expect, it } from "vitest";
import { InputError } from "../../../common/index.js";
import type { CliInvocation } from "../cli-adapter.js";
import { StreamState } from "../stream-state.js";
import { cliAdapters } from "./index.js";

const invocation = (extra: Partial<CliInvocation> = {}): CliInvocation => ({
  prompt: "do it",
  model: undefined,
  budget: {},
  home: "/tmp",
  extraArgs: [],
  ...extra,
});

const read = (command: keyof typeof cliAdapters, lines: unknown[]) => {
  const state = new StreamState("/work/tree");
  const parse = cliAdapters[command].parser(state);
  for (const line of lines) parse(typeof line === "string" ? line : JSON.stringify(line), "stdout");
  return state;
};

describe("adapters' arguments", () => {
  it("let the operator's args replace a default instead of repeating it", () => {
    const claude = cliAdapters.claude.args(
      invocation({ extraArgs: ["--permission-mode=acceptEdits", "--allowedTools", "Edit"] }),
    );
    expect(claude.filter((arg) => arg.startsWith("--permission-mode"))).toEqual([
      "--permission-mode=acceptEdits",
    ]);
    // The prompt stays right after -p, clear of --allowedTools' list.
    expect(claude.slice(0, 2)).toEqual(["-p", "do it"]);
    expect(claude.slice(-2)).toEqual(["--allowedTools", "Edit"]);
  });

  it("drop Codex's sandbox bypass when the operator picks a Codex sandbox", () => {
    const ours = cliAdapters.codex.args(invocation());
    expect(ours).toContain("--dangerously-bypass-approvals-and-sandbox");
    const theirs = cliAdapters.codex.args(invocation({ extraArgs: ["-s", "workspace-write"] }));
    expect(theirs).not.toContain("--dangerously-bypass-approvals-and-sandbox");
    expect(theirs.at(-1)).toBe("do it");
  });

  it("turn the budget into Claude Code's own limits", () => {
    const args = cliAdapters.claude.args(invocation({ budget: { usd: 2.5, steps: 30 } }));
    expect(args).toEqual(expect.arrayContaining(["--max-budget-usd", "2.5", "--max-turns", "30"]));
  });
});

describe("adapters' environment", () => {
  it("names the key after the model's provider for opencode and aider", () => {
    const credentials = { apiKey: "k", baseUrl: "http://127.0.0.1:1" };
    expect(cliAdapters.opencode.env(credentials, "openai/gpt-fake")).toMatchObject({
      OPENAI_API_KEY: "k",
    });
    expect(cliAdapters.aider.env(credentials, "gpt-fake")).toEqual({
      OPENAI_API_KEY: "k",
      OPENAI_BASE_URL: "http://127.0.0.1:1",
      OPENAI_API_BASE: "http://127.0.0.1:1",
    });
    expect(cliAdapters.aider.env(credentials, "deepseek/chat")).toEqual({
      DEEPSEEK_API_KEY: "k",
      DEEPSEEK_API_BASE: "http://127.0.0.1:1",
    });
  });

  it("refuses a key it cannot place, and takes the operator's variable names", () => {
    let refused: unknown;
    try {
      cliAdapters.opencode.env({ apiKey: "k" }, undefined);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InputError);
    expect(refused).toMatchObject({
      code: "cli-key-variable-unknown",
      hint: expect.stringMatching(/provider\/model/),
    });
    expect(
      cliAdapters.claude.env({ apiKey: "k", keyEnv: "ANTHROPIC_AUTH_TOKEN" }, undefined),
    ).toEqual({ ANTHROPIC_AUTH_TOKEN: "k", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" });
  });
});

describe("adapters' parsers", () => {
  it("count a Claude message's usage once, though it comes with each of its blocks", () => {
    const usage = { input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 5 };
    const message = (content: unknown[]) => ({
      type: "assistant",
      message: { id: "msg_1", content, usage },
    });
    const state = read("claude", [
      message([{ type: "text", text: "a" }]),
      message([
        { type: "tool_use", id: "t1", name: "Read", input: { file_path: "/work/tree/a.ts" } },
      ]),
    ]);
    expect(state.tokens).toEqual({ input: 100, output: 5 });
    expect(state.actions).toEqual([{ kind: "read", path: "a.ts", ok: false, detail: "no result" }]);
  });

  it("take a tool named like an Object property for what it is: another tool", () => {
    const call = (name: string) => ({
      type: "assistant",
      message: { content: [{ type: "tool_use", id: name, name, input: {} }] },
    });
    const state = read("claude", [call("constructor"), call("__proto__"), call("toString")]);
    expect(state.actions).toEqual([]);
    expect(state.otherTools.map((tool) => tool.name)).toEqual([
      "constructor",
      "__proto__",
      "toString",
    ]);
  });

  it("skip what they do not know: banners, broken JSON, new event types", () => {
    const state = read("claude", [
      "Claude Code v9 starting",
      "{not json",
      { type: "stream_event", event: { type: "content_block_delta" } },
      { type: "rate_limit", retry_after: 3 },
      ["an", "array"],
    ]);
    expect(state).toMatchObject({ actions: [], errors: [], final: undefined, events: 2 });
  });

  it("read early Codex releases' item_type and assistant_message", () => {
    const state = read("codex", [
      { type: "item.completed", item: { id: "1", item_type: "assistant_message", text: "hi" } },
      { type: "turn.completed", usage: { input_tokens: 3, output_tokens: 4 } },
    ]);
    expect(state.final).toEqual({ ok: true, summary: "hi" });
  });

  it("keep paths outside the worktree whole, so the journal shows the attempt", () => {
    const state = read("gemini", [
      {
        type: "tool_use",
        tool_name: "read_file",
        tool_id: "r",
        parameters: { file_path: "/etc/passwd" },
      },
      { type: "tool_result", tool_id: "r", status: "error", error: { message: "outside" } },
    ]);
    expect(state.actions).toEqual([
      { kind: "read", path: "/etc/passwd", ok: false, detail: "outside" },
    ]);
  });
});

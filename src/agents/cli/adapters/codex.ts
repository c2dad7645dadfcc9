/**
 * Codex, headless: `codex exec --json <prompt>`. JSONL events: `thread.started`,
 * `turn.started`, `item.started`/`item.updated`/`item.completed` (items of type
 * `agent_message`, `reasoning`, `command_execution`, `file_change`, `mcp_tool_call`,
 * `web_search`, `todo_list`, `error`), then `turn.completed` with the usage, or `turn.failed`;
 * a top-level `error` event is fatal. Codex reports tokens, never a cost.
 */
import {
  type CliAdapter,
  credentialEnv,
  type DefaultFlag,
  defaults,
  isRecord,
  jsonLine,
  num,
  rec,
  str,
} from "../cli-adapter.js";
import type { ToolTable } from "../stream-state.js";

const TOOLS: ToolTable = { command_execution: { kind: "run", keys: ["command"] } };

export const codexAdapter: CliAdapter = {
  command: "codex",
  reportsOutcome: true,
  args({ prompt, model, extraArgs }) {
    const ours: DefaultFlag[] = [
      // Our bubblewrap sandbox is the boundary. Codex's own (Landlock and seccomp, or a
      // nested bwrap) cannot be set up inside it, and every command would fail.
      {
        flag: "--dangerously-bypass-approvals-and-sandbox",
        unless: ["--sandbox", "-s", "--full-auto", "--ask-for-approval", "-a"],
      },
      // The worktree's git directory is not mounted in the sandbox, so Codex's check that it
      // runs in a repository would fail.
      { flag: "--skip-git-repo-check" },
    ];
    if (model) ours.push({ flag: "--model", value: model, unless: ["-m"] });
    return ["exec", "--json", ...defaults(ours, extraArgs), ...extraArgs, prompt];
  },
  env(credentials) {
    const env = credentialEnv(credentials, "OPENAI_API_KEY", "OPENAI_BASE_URL");
    // `codex exec` also reads its key from CODEX_API_KEY, which wins in recent versions.
    if (credentials.keyEnv === undefined && credentials.apiKey !== undefined)
      env.CODEX_API_KEY = credentials.apiKey;
    return env;
  },
  parser(state) {
    return (line, stream) => {
      if (stream !== "stdout") return;
      const event = jsonLine(line);
      if (!event) return;
      state.events++;
      switch (event.type) {
        case "item.started":
        case "item.completed":
          item(rec(event.item), event.type === "item.completed");
          return;
        case "turn.completed": {
          const usage = rec(event.usage);
          // OpenAI's input_tokens already include the cached ones.
          state.tokens.input += num(usage.input_tokens);
          state.tokens.output += num(usage.output_tokens);
          state.final = { ok: true, summary: state.lastText };
          return;
        }
        case "turn.failed": {
          const message = str(rec(event.error).message) ?? "the turn failed";
          state.error(message);
          state.final = { ok: false, summary: message };
          return;
        }
        case "error":
          state.error(str(event.message) ?? JSON.stringify(event));
          return;
        default:
      }
    };

    function item(item: Record<string, unknown>, completed: boolean): void {
      // Early releases named the field item_type and the message assistant_message.
      const type = str(item.type) ?? str(item.item_type);
      const id = str(item.id);
      if (type === "command_execution") {
        if (!completed) {
          state.call(TOOLS, type, item, id);
          return;
        }
        const exitCode = typeof item.exit_code === "number" ? item.exit_code : null;
        const output = str(item.aggregated_output) ?? "";
        const ok = item.status !== "failed" && exitCode === 0;
        if (id !== undefined && state.result(id, { ok, output, exitCode })) return;
        state.ran(str(item.command) ?? "", exitCode, output);
        return;
      }
      if (!completed) return;
      if (type === "agent_message" || type === "assistant_message")
        state.lastText = str(item.text) ?? state.lastText;
      else if (type === "file_change") {
        const ok = item.status !== "failed";
        for (const change of Array.isArray(item.changes) ? item.changes : []) {
          if (!isRecord(change)) continue;
          const kind = str(change.kind) ?? "update";
          const path = str(change.path) ?? "?";
          state.changed(kind === "add" ? "write" : "edit", path, ok, kind);
        }
      } else if (type === "mcp_tool_call" || type === "web_search")
        state.otherTools.push({
          name: type === "web_search" ? type : `${str(item.server) ?? "mcp"}.${str(item.tool)}`,
          input: str(item.query) ?? JSON.stringify(item.arguments ?? {}),
        });
    }
  },
};

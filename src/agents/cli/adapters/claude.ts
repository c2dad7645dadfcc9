/**
 * Claude Code, headless: `claude -p <prompt> --output-format stream-json --verbose`. One JSON
 * object per line: `system`/`init`, `assistant` messages (text and tool_use blocks, with the
 * API usage), `user` messages carrying tool_result blocks, and one closing `result`.
 */
import {
  type CliAdapter,
  contentText,
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

const TOOLS: ToolTable = {
  Bash: { kind: "run", keys: ["command"] },
  Write: { kind: "write", keys: ["file_path"] },
  Edit: { kind: "edit", keys: ["file_path"] },
  MultiEdit: { kind: "edit", keys: ["file_path"] },
  NotebookEdit: { kind: "edit", keys: ["notebook_path"] },
  Read: { kind: "read", keys: ["file_path"] },
  LS: { kind: "list", keys: ["path"] },
  Glob: { kind: "search", keys: ["pattern"] },
  Grep: { kind: "search", keys: ["pattern"] },
};

export const claudeAdapter: CliAdapter = {
  command: "claude",
  reportsOutcome: true,
  args({ prompt, model, budget, extraArgs }) {
    // The prompt right after -p: some of Claude Code's flags (--allowedTools) take lists and
    // would swallow a prompt placed after them.
    const ours: DefaultFlag[] = [
      // The sandbox is the boundary; inside it, a permission prompt would only stall the run.
      { flag: "--permission-mode", value: "bypassPermissions" },
    ];
    if (model) ours.push({ flag: "--model", value: model });
    if (budget.steps) ours.push({ flag: "--max-turns", value: String(budget.steps) });
    if (budget.usd) ours.push({ flag: "--max-budget-usd", value: String(budget.usd) });
    return [
      ...["-p", prompt, "--output-format", "stream-json", "--verbose"],
      ...defaults(ours, extraArgs),
      ...extraArgs,
    ];
  },
  env(credentials) {
    return {
      ...credentialEnv(credentials, "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"),
      // No update checks, telemetry or error reports: the sandbox has no way out for them.
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    };
  },
  parser(state) {
    // One API message may arrive as several `assistant` events, each repeating its usage.
    const usageByMessage = new Map<string, { input: number; output: number }>();
    return (line, stream) => {
      if (stream !== "stdout") return;
      const event = jsonLine(line);
      if (!event) return;
      state.events++;
      const message = rec(event.message);
      switch (event.type) {
        case "assistant": {
          for (const block of Array.isArray(message.content) ? message.content : []) {
            if (!isRecord(block)) continue;
            if (block.type === "text") state.lastText = str(block.text) ?? state.lastText;
            if (block.type === "tool_use")
              state.call(TOOLS, str(block.name) ?? "?", block.input, str(block.id));
          }
          if (isRecord(message.usage)) {
            const id = str(message.id) ?? `#${usageByMessage.size}`;
            usageByMessage.set(id, tokensOf(message.usage));
            const totals = [...usageByMessage.values()];
            state.tokens.input = totals.reduce((sum, usage) => sum + usage.input, 0);
            state.tokens.output = totals.reduce((sum, usage) => sum + usage.output, 0);
          }
          return;
        }
        case "user":
          for (const block of Array.isArray(message.content) ? message.content : []) {
            if (!isRecord(block) || block.type !== "tool_result") continue;
            const output = contentText(block.content);
            const failed = block.is_error === true;
            const code = failed ? /^Exit code (\d+)/.exec(output)?.[1] : undefined;
            state.result(str(block.tool_use_id) ?? "", {
              ok: !failed,
              output,
              exitCode: code !== undefined ? Number(code) : failed ? null : 0,
            });
          }
          return;
        case "result": {
          const subtype = str(event.subtype) ?? "unknown";
          const said = str(event.result) ?? "";
          if (typeof event.total_cost_usd === "number") state.costUsd = event.total_cost_usd;
          if (isRecord(event.usage)) {
            const total = tokensOf(event.usage);
            state.tokens.input = Math.max(state.tokens.input, total.input);
            state.tokens.output = Math.max(state.tokens.output, total.output);
          }
          // An API failure (a bad key, an overloaded server) comes as subtype success with
          // is_error set; so does a refusal. Only both together say the task went well.
          if (subtype === "success" && event.is_error === true)
            state.error(`error reported as success: ${said || "(no message)"}`);
          for (const error of Array.isArray(event.errors) ? event.errors : [])
            state.error(typeof error === "string" ? error : JSON.stringify(error));
          const ok = subtype === "success" && event.is_error !== true;
          state.final = { ok, summary: ok ? said : `ended with ${subtype}: ${said}`.trim() };
          return;
        }
        default:
      }
    };
  },
};

/** Anthropic's usage: input excludes cache reads and writes, which the model read all the same. */
function tokensOf(usage: Record<string, unknown>): { input: number; output: number } {
  return {
    input:
      num(usage.input_tokens) +
      num(usage.cache_creation_input_tokens) +
      num(usage.cache_read_input_tokens),
    output: num(usage.output_tokens),
  };
}

/**
 * Gemini CLI, headless: `gemini -p <prompt> --output-format stream-json`. JSONL events:
 * `init`, `message` (user or assistant, `delta` chunks), `tool_use` (`tool_name`, `tool_id`,
 * `parameters`), `tool_result` (`status` success or error), `error` (`severity` warning or
 * error), and a closing `result` with `status` and `stats` (tokens). No cost is reported.
 */
import {
  type CliAdapter,
  credentialEnv,
  type DefaultFlag,
  defaults,
  jsonLine,
  num,
  rec,
  str,
} from "../cli-adapter.js";
import type { ToolTable } from "../stream-state.js";

const TOOLS: ToolTable = {
  run_shell_command: { kind: "run", keys: ["command"] },
  write_file: { kind: "write", keys: ["file_path"] },
  replace: { kind: "edit", keys: ["file_path"] },
  read_file: { kind: "read", keys: ["file_path", "absolute_path"] },
  list_directory: { kind: "list", keys: ["dir_path", "path"] },
  glob: { kind: "search", keys: ["pattern"] },
  search_file_content: { kind: "search", keys: ["pattern"] },
  grep_search: { kind: "search", keys: ["pattern"] },
};

export const geminiAdapter: CliAdapter = {
  command: "gemini",
  reportsOutcome: true,
  args({ prompt, model, extraArgs }) {
    const ours: DefaultFlag[] = [
      // The sandbox is the boundary; headless, a tool that needs approval is refused.
      { flag: "--approval-mode", value: "yolo", unless: ["--yolo", "-y"] },
    ];
    if (model) ours.push({ flag: "--model", value: model, unless: ["-m"] });
    return [
      ...["-p", prompt, "--output-format", "stream-json"],
      ...defaults(ours, extraArgs),
      ...extraArgs,
    ];
  },
  env(credentials) {
    return credentialEnv(credentials, "GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL");
  },
  parser(state) {
    let message = "";
    return (line, stream) => {
      if (stream !== "stdout") return;
      const event = jsonLine(line);
      if (!event) return;
      state.events++;
      switch (event.type) {
        case "message":
          if (event.role !== "assistant") return;
          message = (event.delta === true ? message : "") + (str(event.content) ?? "");
          state.lastText = message;
          return;
        case "tool_use":
          message = "";
          state.call(TOOLS, str(event.tool_name) ?? "?", event.parameters, str(event.tool_id));
          return;
        case "tool_result": {
          const output = str(event.output) ?? str(rec(event.error).message) ?? "";
          const code = /Exit Code: (-?\d+)/.exec(output)?.[1];
          state.result(str(event.tool_id) ?? "", {
            ok: event.status === "success",
            output,
            ...(code !== undefined ? { exitCode: Number(code) } : {}),
          });
          return;
        }
        case "error":
          // Warnings (a retried request, a loop nudge) are not failures.
          if (event.severity !== "warning") state.error(str(event.message) ?? "error");
          return;
        case "result": {
          const stats = rec(event.stats);
          state.tokens.input = num(stats.input_tokens) || num(stats.total_tokens);
          state.tokens.output = num(stats.output_tokens);
          const ok = event.status === "success";
          const error = str(rec(event.error).message);
          state.final = {
            ok,
            summary: ok ? state.lastText : `ended with ${str(event.status)}: ${error ?? ""}`.trim(),
          };
          return;
        }
        default:
      }
    };
  },
};

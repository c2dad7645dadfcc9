/**
 * opencode, headless: `opencode run --format json <prompt>`. JSONL events, each with a `part`:
 * `step_start`; `text`; `tool_use` once a call is done (`part.tool`, `part.state` with its
 * status, input, output and metadata); `step_finish` with the step's reason, cost and tokens;
 * `error`. There is no closing event: the last `step_finish` whose reason is not
 * `tool-calls` (the model stopped instead of calling a tool) is taken as the outcome.
 */
import {
  type CliAdapter,
  type DefaultFlag,
  defaults,
  jsonLine,
  num,
  rec,
  str,
} from "../cli-adapter.js";
import type { ToolTable } from "../stream-state.js";
import { providerEnv } from "./provider-env.js";

const TOOLS: ToolTable = {
  bash: { kind: "run", keys: ["command"] },
  write: { kind: "write", keys: ["filePath"] },
  edit: { kind: "edit", keys: ["filePath"] },
  patch: { kind: "edit", keys: ["filePath", "patchText"] },
  read: { kind: "read", keys: ["filePath"] },
  list: { kind: "list", keys: ["path"] },
  glob: { kind: "search", keys: ["pattern"] },
  grep: { kind: "search", keys: ["pattern"] },
};

export const opencodeAdapter: CliAdapter = {
  command: "opencode",
  reportsOutcome: true,
  args({ prompt, model, extraArgs }) {
    const ours: DefaultFlag[] = model ? [{ flag: "--model", value: model, unless: ["-m"] }] : [];
    return ["run", "--format", "json", ...defaults(ours, extraArgs), ...extraArgs, prompt];
  },
  env(credentials, model) {
    const names = providerEnv("opencode", model, credentials, undefined);
    const env: Record<string, string> = {};
    const keyEnv = credentials.keyEnv ?? names?.keyEnv;
    if (keyEnv && credentials.apiKey !== undefined) env[keyEnv] = credentials.apiKey;
    // opencode takes a base URL from its config, not from the environment; it also reads
    // its config from this variable. The sandbox is the boundary, so no permission prompts,
    // and nothing that would try the network on its own.
    const config: Record<string, unknown> = {
      autoupdate: false,
      share: "disabled",
      permission: { edit: "allow", bash: "allow" },
    };
    if (credentials.baseUrl !== undefined) {
      if (credentials.baseUrlEnv) env[credentials.baseUrlEnv] = credentials.baseUrl;
      else if (names)
        config.provider = { [names.provider]: { options: { baseURL: credentials.baseUrl } } };
    }
    env.OPENCODE_CONFIG_CONTENT = JSON.stringify(config);
    return env;
  },
  parser(state) {
    return (line, stream) => {
      if (stream !== "stdout") return;
      const event = jsonLine(line);
      if (!event) return;
      state.events++;
      const part = rec(event.part);
      switch (event.type) {
        case "step_start":
          // Another step after a `stop` means that was not the end after all.
          state.final = undefined;
          return;
        case "text":
          state.lastText = str(part.text) ?? state.lastText;
          return;
        case "tool_use": {
          const call = rec(part.state);
          const id = str(part.callID) ?? str(part.id) ?? `#${state.steps}`;
          state.call(TOOLS, str(part.tool) ?? "?", call.input, id);
          const exit = rec(call.metadata).exit;
          state.result(id, {
            ok: call.status === "completed",
            output: str(call.output) ?? str(call.error) ?? "",
            ...(typeof exit === "number" ? { exitCode: exit } : {}),
          });
          return;
        }
        case "step_finish": {
          const tokens = rec(part.tokens);
          const cache = rec(tokens.cache);
          // opencode's input excludes cache reads and writes; reasoning is output too.
          state.tokens.input += num(tokens.input) + num(cache.read) + num(cache.write);
          state.tokens.output += num(tokens.output) + num(tokens.reasoning);
          if (typeof part.cost === "number") state.costUsd = (state.costUsd ?? 0) + part.cost;
          const reason = str(part.reason) ?? "unknown";
          if (reason !== "tool-calls")
            state.final =
              reason === "stop"
                ? { ok: true, summary: state.lastText }
                : { ok: false, summary: `the model stopped: ${reason}` };
          return;
        }
        case "error": {
          const error = rec(event.error);
          state.error(str(rec(error.data).message) ?? str(error.name) ?? JSON.stringify(error));
          return;
        }
        default:
      }
    };
  },
};

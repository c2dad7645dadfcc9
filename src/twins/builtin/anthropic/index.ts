/**
 * The `anthropic` twin: the Messages API (`POST /v1/messages`, plain and streamed, with tool_use
 * blocks, and `POST /v1/messages/count_tokens`) at Anthropic's own paths, scripted by a cassette,
 * so that `@anthropic-ai/sdk` works against it with only `baseURL` changed.
 *
 * Options (`createTwin(anthropicTwin, { options })`):
 * - `cassette`: the script, an object or the path of a YAML file (see `../llm/index.ts`); without
 *   one, every request gets a short fixed answer.
 * - `stream_cut_rate`, `malformed_tool_json_rate`: LLM faults, drawn from the seeded random.
 * - `models`: the only model names accepted.
 *
 * Latency, 429 with retry-after, 529 overloaded and the like come from the runtime's fault
 * profile (`error_status: 529`).
 */
import type { TwinDefinition } from "../../runtime/contract.js";
import { initialLlmState, type LlmState, llmJournalHeader, readLlmSettings } from "../llm/index.js";
import { anthropicErrors } from "./errors.js";
import { anthropicRoutes } from "./routes.js";

export type { AnthropicMessage } from "./message.js";

export const anthropicTwin: TwinDefinition<LlmState> = {
  name: "anthropic",
  description:
    "Anthropic's Messages API: plain and streamed messages, tool use, token counting, scripted by a cassette, with Anthropic's errors",
  initialState: initialLlmState,
  routes(app, twin) {
    anthropicRoutes(app, twin, readLlmSettings("anthropic", twin.options));
  },
  errors: anthropicErrors,
  journalHeader: llmJournalHeader,
  secretHeaders: ["x-api-key"],
};

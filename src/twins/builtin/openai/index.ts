/**
 * The `openai` twin: Chat Completions (`POST /v1/chat/completions`, plain and streamed, with tool
 * calls and usage) and `GET /v1/models`, at OpenAI's own paths, scripted by a cassette, so that
 * the `openai` SDK works against it with only `baseURL` changed. (No `/v1/responses`.)
 *
 * Options (`createTwin(openaiTwin, { options })`):
 * - `cassette`: the script, an object or the path of a YAML file (see `../llm/index.ts`); without
 *   one, every request gets a short fixed answer.
 * - `stream_cut_rate`, `malformed_tool_json_rate`: LLM faults, drawn from the seeded random.
 * - `models`: the only model names accepted (and the ones `GET /v1/models` lists).
 *
 * Latency, 429 with retry-after, 5xx and the like come from the runtime's fault profile.
 */
import type { TwinDefinition } from "../../runtime/contract.js";
import { initialLlmState, type LlmState, llmJournalHeader, readLlmSettings } from "../llm/index.js";
import { openaiErrors } from "./errors.js";
import { openaiRoutes } from "./routes.js";

export type { ChatCompletion } from "./completion.js";

export const openaiTwin: TwinDefinition<LlmState> = {
  name: "openai",
  description:
    "OpenAI's Chat Completions: plain and streamed completions, tool calls, usage and models, scripted by a cassette, with OpenAI's errors",
  initialState: initialLlmState,
  routes(app, twin) {
    openaiRoutes(app, twin, readLlmSettings("openai", twin.options));
  },
  errors: openaiErrors,
  journalHeader: llmJournalHeader,
};

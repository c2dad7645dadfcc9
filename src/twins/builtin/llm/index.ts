/**
 * What the `openai` and `anthropic` twins share: the cassette (script) format and its matcher,
 * the vendor-neutral conversation both requests are normalised into, the reply plan with its
 * token estimate, the LLM faults, and server-sent events.
 *
 * A cassette, in YAML:
 *
 * ```yaml
 * turns:
 *   - id: read-first
 *     match: { last_user_contains: "fix the bug", tools_include: [read_file], step: 0 }
 *     reply:
 *       text: "Let me read the file."
 *       tool_calls: [{ name: read_file, input: { path: src/app.ts } }]
 *   - id: done
 *     match: { after_tool: read_file, last_tool_result_contains: "export" }
 *     reply: { text: "Fixed.", stop: end, usage: { input_tokens: 120, output_tokens: 3 } }
 * ```
 */

export { type BodyProblem, bodyProblem } from "./body-problem.js";
export {
  type LlmCassette,
  type LlmMatch,
  type LlmReply,
  type LlmTurn,
  llmCassetteSchema,
  parseLlmCassette,
  readLlmCassette,
} from "./cassette.js";
export { jsonDeltas, textDeltas } from "./chunks.js";
export {
  type Completion,
  type CompletionOutcome,
  complete,
  initialLlmState,
  type LlmFaultRecord,
  type LlmState,
} from "./complete.js";
export {
  type Conversation,
  type ConversationMessage,
  type ConversationTool,
  type ConversationToolCall,
  type ConversationToolResult,
  linkToolResults,
  promptText,
} from "./conversation.js";
export { llmJournalHeader } from "./journal-header.js";
export { type MatchOutcome, matchTurn } from "./match.js";
export {
  malformJson,
  type PlannedReply,
  type PlannedToolCall,
  planReply,
  type StopReason,
} from "./reply.js";
export { type LlmSettings, llmTwinOptionsSchema, readLlmSettings } from "./settings.js";
export { eventStream, sseEvent } from "./sse.js";
export { estimateTokens } from "./tokens.js";

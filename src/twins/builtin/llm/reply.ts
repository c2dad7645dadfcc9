/**
 * What the model answers, vendor-neutral: a cassette turn's reply (or the fixed answer when the
 * twin has no cassette), held to the request's token limit, with usage stated or estimated.
 * Each twin writes it out in its vendor's words.
 */
import type { LlmTurn } from "./cassette.js";
import { type Conversation, promptText } from "./conversation.js";
import { estimateTokens } from "./tokens.js";

export type StopReason = "end" | "tool_use" | "max_tokens";

export interface PlannedToolCall {
  name: string;
  input: Record<string, unknown>;
  /** The arguments as sent on the wire: `input` as JSON, or not JSON at all under the fault. */
  arguments: string;
  malformed: boolean;
}

export interface PlannedReply {
  /** The cassette turn that answers; null for the fixed answer. */
  turn: string | null;
  text: string;
  toolCalls: PlannedToolCall[];
  stop: StopReason;
  usage: { input: number; output: number };
}

export function planReply(
  twin: string,
  conversation: Conversation,
  turn: LlmTurn | undefined,
  maxTokens: number | undefined,
): PlannedReply {
  const reply = turn?.reply ?? { text: fixedAnswer(twin, conversation) };
  let text = reply.text ?? "";
  let toolCalls = (reply.tool_calls ?? []).map((call) => ({
    name: call.name,
    input: call.input,
    arguments: JSON.stringify(call.input),
    malformed: false,
  }));
  let stop: StopReason = reply.stop ?? (toolCalls.length > 0 ? "tool_use" : "end");
  // A model stops at the client's limit: the text cut there, no tool call begun.
  if (!reply.stop && maxTokens !== undefined && outputTokens(text, toolCalls) > maxTokens) {
    text = text.slice(0, maxTokens * 4);
    toolCalls = [];
    stop = "max_tokens";
  }
  return {
    turn: turn?.id ?? null,
    text,
    toolCalls,
    stop,
    usage: {
      input: reply.usage?.input_tokens ?? Math.max(1, estimateTokens(promptText(conversation))),
      output: reply.usage?.output_tokens ?? Math.max(1, outputTokens(text, toolCalls)),
    },
  };
}

function outputTokens(text: string, toolCalls: { name: string; arguments: string }[]): number {
  let tokens = estimateTokens(text);
  for (const call of toolCalls) tokens += estimateTokens(call.name + call.arguments);
  return tokens;
}

/** Without a cassette: a short answer that depends on the request only. */
function fixedAnswer(twin: string, conversation: Conversation): string {
  let said = "";
  for (const message of conversation.messages) if (message.role === "user") said = message.text;
  const flat = said.replace(/\s+/g, " ").trim();
  const echo = flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
  return `This is the ${twin} twin (no cassette loaded). You said: "${echo}"`;
}

/**
 * The arguments as a model sometimes writes them: a trailing comma before the closing brace,
 * which no JSON parser (nor the SDKs' lenient partial parsers) accepts.
 */
export function malformJson(json: string): string {
  return json.endsWith("}") ? `${json.slice(0, -1)},}` : `${json},`;
}

/**
 * One conversation shape for both LLM twins: each vendor's request is normalised into it (OpenAI
 * `tool` messages and `tool_calls`, Anthropic `tool_result` and `tool_use` blocks), so that one
 * matcher and one token estimate serve both.
 */

export interface ConversationToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface ConversationToolResult {
  callId: string;
  /** The tool's name, found from the assistant turn that made the call; undefined if none did. */
  name: string | undefined;
  text: string;
  isError: boolean;
}

export type ConversationMessage =
  | { role: "user"; text: string }
  | { role: "assistant"; text: string; toolCalls: ConversationToolCall[] }
  /** The results of one or more tool calls, in the order the client sent them. */
  | { role: "tool"; results: ConversationToolResult[] };

export interface ConversationTool {
  name: string;
  description: string;
  schema: unknown;
}

export interface Conversation {
  /** Every system (and OpenAI developer) instruction, joined by blank lines. */
  system: string;
  tools: ConversationTool[];
  messages: ConversationMessage[];
}

/**
 * Names each tool result after the call it answers (vendors send only the call's id), and merges
 * consecutive tool messages (OpenAI sends one per result) into one.
 */
export function linkToolResults(messages: ConversationMessage[]): ConversationMessage[] {
  const names = new Map<string, string>();
  const linked: ConversationMessage[] = [];
  for (const message of messages) {
    if (message.role === "assistant")
      for (const call of message.toolCalls) names.set(call.id, call.name);
    if (message.role !== "tool") {
      linked.push(message);
      continue;
    }
    const results = message.results.map((result) => ({
      ...result,
      name: result.name ?? names.get(result.callId),
    }));
    const previous = linked.at(-1);
    if (previous?.role === "tool") previous.results.push(...results);
    else linked.push({ role: "tool", results });
  }
  return linked;
}

/** Everything the model reads, as text: what the prompt's token estimate counts. */
export function promptText(conversation: Conversation): string {
  const parts = [conversation.system];
  for (const tool of conversation.tools)
    parts.push(tool.name, tool.description, JSON.stringify(tool.schema ?? {}));
  for (const message of conversation.messages) {
    if (message.role === "tool") for (const result of message.results) parts.push(result.text);
    else parts.push(message.text);
    if (message.role === "assistant")
      for (const call of message.toolCalls) parts.push(call.name, JSON.stringify(call.input ?? {}));
  }
  return parts.join("\n");
}

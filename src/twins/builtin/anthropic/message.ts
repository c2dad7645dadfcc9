/**
 * A completion in Anthropic's words: the Message object, and the server-sent events that stream
 * it (message_start, content blocks with text_delta and input_json_delta, message_delta with the
 * stop reason and output tokens, message_stop), as the Messages API sends them.
 */
import type { SeededRandom } from "../../runtime/contract.js";
import {
  type Completion,
  jsonDeltas,
  type StopReason,
  sseEvent,
  textDeltas,
} from "../llm/index.js";

const STOP_REASONS: Record<StopReason, string> = {
  end: "end_turn",
  tool_use: "tool_use",
  max_tokens: "max_tokens",
};

type ContentBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown };

export interface AnthropicMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ContentBlock[];
  stop_reason: string | null;
  stop_sequence: null;
  usage: {
    input_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
    output_tokens: number;
    service_tier: "standard";
  };
}

/**
 * The whole message. Under the malformed_tool_json fault a tool call's `input` is the text the
 * model wrote, a string, since a JSON body cannot carry JSON that does not parse as an object.
 */
export function buildMessage(
  random: SeededRandom,
  model: string,
  completion: Completion,
): AnthropicMessage {
  const content: ContentBlock[] = [];
  if (completion.text || completion.toolCalls.length === 0)
    content.push({ type: "text", text: completion.text });
  for (const call of completion.toolCalls)
    content.push({
      type: "tool_use",
      id: random.id("toolu_01", 22),
      name: call.name,
      input: call.malformed ? call.arguments : call.input,
    });
  return {
    id: random.id("msg_01", 22),
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: STOP_REASONS[completion.stop],
    stop_sequence: null,
    usage: {
      input_tokens: completion.usage.input,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: completion.usage.output,
      service_tier: "standard",
    },
  };
}

/** The events that stream `message`; tool inputs go as `arguments` (JSON text, maybe broken). */
export function messageEvents(message: AnthropicMessage, completion: Completion): string[] {
  const event = (type: string, data: Record<string, unknown>) =>
    sseEvent(JSON.stringify({ type, ...data }), type);
  const events = [
    event("message_start", {
      message: {
        ...message,
        content: [],
        stop_reason: null,
        usage: { ...message.usage, output_tokens: 1 },
      },
    }),
  ];
  let toolIndex = 0;
  for (const [index, block] of message.content.entries()) {
    if (block.type === "text") {
      events.push(
        event("content_block_start", { index, content_block: { type: "text", text: "" } }),
      );
      if (index === 0) events.push(event("ping", {}));
      for (const text of textDeltas(block.text))
        events.push(event("content_block_delta", { index, delta: { type: "text_delta", text } }));
    } else {
      const json = completion.toolCalls[toolIndex++]?.arguments ?? "{}";
      events.push(event("content_block_start", { index, content_block: { ...block, input: {} } }));
      if (index === 0) events.push(event("ping", {}));
      for (const partial_json of ["", ...jsonDeltas(json)])
        events.push(
          event("content_block_delta", {
            index,
            delta: { type: "input_json_delta", partial_json },
          }),
        );
    }
    events.push(event("content_block_stop", { index }));
  }
  events.push(
    event("message_delta", {
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: message.usage.output_tokens },
    }),
    event("message_stop", {}),
  );
  return events;
}

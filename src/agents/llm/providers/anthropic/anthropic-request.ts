/** Our conversation in the Messages API's terms. */
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  Tool,
} from "@anthropic-ai/sdk/resources/messages";
import type { LlmMessage, LlmRequest, ToolSpec } from "../../provider.js";

type Turn = { role: "user" | "assistant"; content: ContentBlockParam[] };

export function toAnthropicRequest(request: LlmRequest): MessageCreateParamsStreaming {
  const body: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: toTurns(request.messages),
    stream: true,
  };
  if (request.system !== "") body.system = request.system;
  if (request.tools.length > 0) body.tools = request.tools.map(toTool);
  // `temperature` is not sent: API version 2026-10-21, which this SDK speaks, refuses every
  // sampling parameter with a 400.
  return body;
}

/**
 * Tool results travel in a user turn. Consecutive turns of one role are merged into one, so
 * results followed by a user's words stay a single turn with the results first, as the API
 * requires.
 */
function toTurns(messages: LlmMessage[]): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    const turn = toTurn(message);
    const last = turns.at(-1);
    if (last && last.role === turn.role) last.content.push(...turn.content);
    else turns.push(turn);
  }
  return turns;
}

function toTurn(message: LlmMessage): Turn {
  switch (message.role) {
    case "user":
      return { role: "user", content: [{ type: "text", text: message.content }] };
    case "assistant":
      return {
        role: "assistant",
        content: [
          // The API refuses an empty text block.
          ...(message.text === "" ? [] : [{ type: "text" as const, text: message.text }]),
          ...message.toolCalls.map((call) => ({
            type: "tool_use" as const,
            id: call.id,
            name: call.name,
            input: call.input,
          })),
        ],
      };
    case "tool":
      return {
        role: "user",
        content: message.results.map((result) => ({
          type: "tool_result" as const,
          tool_use_id: result.callId,
          content: result.content,
          ...(result.isError ? { is_error: true } : {}),
        })),
      };
  }
}

function toTool(tool: ToolSpec): Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema as Tool.InputSchema,
  };
}

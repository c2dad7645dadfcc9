/** Our conversation in Chat Completions' terms. */
import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import type { LlmMessage, LlmRequest, ToolSpec } from "../../provider.js";

/**
 * OpenAI's newer models refuse `max_tokens` and want `max_completion_tokens`; compatible servers
 * (Ollama, llama.cpp) know only `max_tokens`.
 */
export type TokenLimitField = "max_tokens" | "max_completion_tokens";

export function toOpenAiRequest(
  request: LlmRequest,
  tokenLimit: TokenLimitField,
): ChatCompletionCreateParamsStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system !== "") messages.push({ role: "system", content: request.system });
  for (const message of request.messages) messages.push(...toMessages(message));
  const body: ChatCompletionCreateParamsStreaming = {
    model: request.model,
    messages,
    stream: true,
    // The usage arrives in one last chunk only when asked for.
    stream_options: { include_usage: true },
  };
  body[tokenLimit] = request.maxTokens;
  // Some compatible servers reject an empty `tools` array.
  if (request.tools.length > 0) body.tools = request.tools.map(toTool);
  if (request.temperature !== undefined) body.temperature = request.temperature;
  return body;
}

function toMessages(message: LlmMessage): ChatCompletionMessageParam[] {
  switch (message.role) {
    case "user":
      return [{ role: "user", content: message.content }];
    case "assistant":
      if (message.toolCalls.length === 0) return [{ role: "assistant", content: message.text }];
      return [
        {
          role: "assistant",
          content: message.text === "" ? null : message.text,
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: JSON.stringify(call.input) },
          })),
        },
      ];
    case "tool":
      // Chat Completions has no error flag on a tool result; the model reads it in the text.
      return message.results.map((result) => ({
        role: "tool",
        tool_call_id: result.callId,
        content: result.isError ? `ERROR: ${result.content}` : result.content,
      }));
  }
}

function toTool(tool: ToolSpec): ChatCompletionTool {
  return {
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  };
}

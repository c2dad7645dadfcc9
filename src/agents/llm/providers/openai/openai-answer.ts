/** Assembles a Chat Completions stream, chunk by chunk, into our `LlmResponse`. */
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { type LlmResponse, ProviderError } from "../../provider.js";
import { parseToolInput } from "../tool-input.js";

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

export class OpenAiAnswer {
  private text = "";
  private readonly calls = new Map<number, PartialCall>();
  private finishReason: string | undefined;
  private usage = { inputTokens: 0, outputTokens: 0 };
  private model = "";

  add(chunk: ChatCompletionChunk): void {
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage)
      this.usage = {
        inputTokens: chunk.usage.prompt_tokens ?? 0,
        outputTokens: chunk.usage.completion_tokens ?? 0,
      };
    // We ask for one choice; the usage chunk has none.
    const choice = chunk.choices?.find((c) => c.index === 0);
    if (!choice) return;
    if (choice.delta?.content) this.text += choice.delta.content;
    for (const fragment of choice.delta?.tool_calls ?? []) {
      let call = this.calls.get(fragment.index);
      if (!call) {
        call = { id: "", name: "", arguments: "" };
        this.calls.set(fragment.index, call);
      }
      // The id and name come whole in the first fragment; some servers repeat them after.
      if (fragment.id && !call.id) call.id = fragment.id;
      if (fragment.function?.name && !call.name) call.name = fragment.function.name;
      if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  /** The answer; a stream that ended without a finish reason was cut off. */
  result(): LlmResponse {
    if (this.finishReason === undefined)
      throw new ProviderError("timeout", "openai: the answer's stream ended before it finished");
    const toolCalls = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => {
        if (call.name === "")
          throw new ProviderError("malformed", `openai: tool call ${index} has no name`);
        return {
          id: call.id || `call_${index}`,
          name: call.name,
          input: parseToolInput("openai", call.name, call.arguments),
        };
      });
    return {
      text: this.text,
      toolCalls,
      stopReason: stopReason(this.finishReason, toolCalls.length > 0),
      usage: this.usage,
      model: this.model,
    };
  }
}

function stopReason(finish: string, hasCalls: boolean): LlmResponse["stopReason"] {
  if (finish === "tool_calls" || finish === "function_call") return "tool_use";
  if (finish === "length") return "max_tokens";
  // Some compatible servers (older Ollama) say `stop` after a tool call.
  if (finish === "stop") return hasCalls ? "tool_use" : "end";
  return "other";
}

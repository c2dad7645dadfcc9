/** Assembles a Messages API event stream, event by event, into our `LlmResponse`. */
import type { RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { type LlmResponse, type LlmUsage, ProviderError } from "../../provider.js";
import { parseToolInput } from "../tool-input.js";

type Block =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; json: string }
  | { type: "other" };

interface UsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

export class AnthropicAnswer {
  private readonly blocks = new Map<number, Block>();
  private stopReason: string | null = null;
  private stopped = false;
  private usage: LlmUsage = { inputTokens: 0, outputTokens: 0 };
  private model = "";

  add(event: RawMessageStreamEvent): void {
    switch (event.type) {
      case "message_start":
        this.model = event.message.model;
        this.addUsage(event.message.usage);
        return;
      case "content_block_start": {
        const block = event.content_block;
        if (block.type === "text") this.blocks.set(event.index, { type: "text", text: block.text });
        else if (block.type === "tool_use")
          this.blocks.set(event.index, {
            type: "tool_use",
            id: block.id,
            name: block.name,
            json: "",
          });
        // Thinking and server-tool blocks are the model's own business.
        else this.blocks.set(event.index, { type: "other" });
        return;
      }
      case "content_block_delta": {
        const block = this.blocks.get(event.index);
        if (event.delta.type === "text_delta" && block?.type === "text")
          block.text += event.delta.text;
        else if (event.delta.type === "input_json_delta" && block?.type === "tool_use")
          block.json += event.delta.partial_json;
        return;
      }
      case "message_delta":
        this.stopReason = event.delta.stop_reason;
        this.addUsage(event.usage);
        return;
      case "message_stop":
        this.stopped = true;
        return;
      default:
        return;
    }
  }

  /** The answer; a stream that ended without `message_stop` was cut off. */
  result(): LlmResponse {
    if (!this.stopped)
      throw new ProviderError(
        "timeout",
        "anthropic: the answer's stream ended before message_stop",
      );
    const ordered = [...this.blocks.entries()].sort(([a], [b]) => a - b).map(([, b]) => b);
    let text = "";
    const toolCalls: LlmResponse["toolCalls"] = [];
    for (const block of ordered) {
      if (block.type === "text") text += block.text;
      else if (block.type === "tool_use")
        toolCalls.push({
          id: block.id,
          name: block.name,
          input: parseToolInput("anthropic", block.name, block.json),
        });
    }
    return {
      text,
      toolCalls,
      stopReason: stopReason(this.stopReason),
      usage: this.usage,
      model: this.model,
    };
  }

  /**
   * `message_delta` repeats the counts so far, so later values replace earlier ones. Cached
   * input is billed differently, but it is input the model read: it counts.
   */
  private addUsage(usage: UsageFields): void {
    const input =
      (usage.input_tokens ?? 0) +
      (usage.cache_creation_input_tokens ?? 0) +
      (usage.cache_read_input_tokens ?? 0);
    if (usage.input_tokens != null) this.usage.inputTokens = input;
    if (usage.output_tokens != null) this.usage.outputTokens = usage.output_tokens;
  }
}

function stopReason(reason: string | null): LlmResponse["stopReason"] {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "end";
    case "tool_use":
      return "tool_use";
    case "max_tokens":
      return "max_tokens";
    default:
      return "other";
  }
}

/**
 * A completion in OpenAI's words: the `chat.completion` object, and the `chat.completion.chunk`
 * lines that stream it (role, content pieces, tool calls with their arguments in fragments, the
 * finish reason, the usage chunk when asked for, `[DONE]`).
 */
import type { SeededRandom } from "../../runtime/contract.js";
import {
  type Completion,
  jsonDeltas,
  type StopReason,
  sseEvent,
  textDeltas,
} from "../llm/index.js";

const FINISH_REASONS: Record<StopReason, string> = {
  end: "stop",
  tool_use: "tool_calls",
  max_tokens: "length",
};

/** OpenAI names the backend configuration that answered; the twin has one. */
const SYSTEM_FINGERPRINT = "fp_d4rkf4c70ry";

interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: 0;
    message: {
      role: "assistant";
      content: string | null;
      refusal: null;
      annotations: [];
      tool_calls?: ToolCall[];
    };
    logprobs: null;
    finish_reason: string;
  }[];
  usage: ReturnType<typeof usageOf>;
  service_tier: "default";
  system_fingerprint: string;
}

function usageOf(completion: Completion) {
  const { input, output } = completion.usage;
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function buildChatCompletion(
  random: SeededRandom,
  created: number,
  model: string,
  completion: Completion,
): ChatCompletion {
  const toolCalls: ToolCall[] = completion.toolCalls.map((call) => ({
    id: random.id("call_", 24),
    type: "function",
    function: { name: call.name, arguments: call.arguments },
  }));
  return {
    id: random.id("chatcmpl-", 29),
    object: "chat.completion",
    created,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          // OpenAI sends null content beside tool calls and no text.
          content: completion.text || (toolCalls.length > 0 ? null : ""),
          refusal: null,
          annotations: [],
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: FINISH_REASONS[completion.stop],
      },
    ],
    usage: usageOf(completion),
    service_tier: "default",
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

/** The chunks that stream `answer`; with `includeUsage`, each has `usage: null` but the last. */
export function completionChunks(answer: ChatCompletion, includeUsage: boolean): string[] {
  const { id, created, model } = answer;
  const chunk = (choices: unknown[], usage: unknown = null) =>
    sseEvent(
      JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        service_tier: "default",
        system_fingerprint: SYSTEM_FINGERPRINT,
        choices,
        ...(includeUsage ? { usage } : {}),
      }),
    );
  const delta = (delta: Record<string, unknown>, finish_reason: string | null = null) =>
    chunk([{ index: 0, delta, logprobs: null, finish_reason }]);

  const choice = answer.choices[0];
  const text = choice?.message.content ?? null;
  const chunks = [delta({ role: "assistant", content: text === null ? null : "", refusal: null })];
  for (const content of textDeltas(text ?? "")) chunks.push(delta({ content }));
  for (const [index, call] of (choice?.message.tool_calls ?? []).entries()) {
    chunks.push(
      delta({
        tool_calls: [
          {
            index,
            id: call.id,
            type: "function",
            function: { name: call.function.name, arguments: "" },
          },
        ],
      }),
    );
    for (const args of jsonDeltas(call.function.arguments))
      chunks.push(delta({ tool_calls: [{ index, function: { arguments: args } }] }));
  }
  chunks.push(delta({}, choice?.finish_reason ?? "stop"));
  if (includeUsage) chunks.push(chunk([], answer.usage));
  chunks.push(sseEvent("[DONE]"));
  return chunks;
}

/**
 * The one contract every model provider implements (DESIGN §4): a conversation in, the model's
 * next turn out. Adapters (openai, anthropic) map it to their vendor's official SDK with the
 * SDK's own retries off; the tool loop retries, honouring `retryAfterMs`.
 */

/** A tool the model may call; `inputSchema` is a JSON Schema object. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolCall {
  /** The provider's id for the call, echoed back with its result. */
  id: string;
  name: string;
  /** The parsed arguments. */
  input: Record<string, unknown>;
}

export interface ToolResult {
  callId: string;
  name: string;
  content: string;
  isError?: boolean;
}

export type LlmMessage =
  | { role: "user"; content: string }
  | { role: "assistant"; text: string; toolCalls: ToolCall[] }
  | { role: "tool"; results: ToolResult[] };

export interface LlmRequest {
  model: string;
  system: string;
  messages: LlmMessage[];
  tools: ToolSpec[];
  maxTokens: number;
  temperature?: number;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface LlmResponse {
  text: string;
  toolCalls: ToolCall[];
  /** `end`: the model is done; `tool_use`: it wants its tool calls run; `max_tokens`: cut off. */
  stopReason: "end" | "tool_use" | "max_tokens" | "other";
  usage: LlmUsage;
  /** The model that answered, as the provider names it. */
  model: string;
}

export type ProviderErrorKind =
  /** 429: wait `retryAfterMs` when given. */
  | "rate_limit"
  /** Anthropic's 529, or a 503. */
  | "overloaded"
  /** Any other 5xx. */
  | "server"
  /** No answer in time, or the stream stopped before its end. */
  | "timeout"
  | "connection"
  /** A tool call whose arguments are not valid JSON, or an answer the adapter cannot read. */
  | "malformed"
  | "auth"
  | "bad_request";

/** A provider's failure, classified so the loop knows whether and when to retry. */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: ProviderErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProviderError";
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Worth trying again: the same request may well succeed. */
  get retryable(): boolean {
    return this.kind !== "auth" && this.kind !== "bad_request";
  }
}

export interface LlmProvider {
  /** `openai` or `anthropic`. */
  readonly name: string;
  complete(request: LlmRequest, signal: AbortSignal): Promise<LlmResponse>;
}

/** USD per million tokens, per model. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

export function costOf(usage: LlmUsage, price: ModelPrice | undefined): number {
  if (!price) return 0;
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1e6;
}

/** Any error of a provider call as a ProviderError; what is not one counts as a server fault. */
export function asProviderError(error: unknown): ProviderError {
  return error instanceof ProviderError
    ? error
    : new ProviderError("server", error instanceof Error ? error.message : String(error));
}

/** How long to wait before retry `attempt`: the provider's Retry-After, else backoff doubling. */
export function retryDelayMs(
  failure: ProviderError,
  attempt: number,
  backoff: { baseMs: number; maxMs: number },
): number {
  return failure.retryAfterMs ?? Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

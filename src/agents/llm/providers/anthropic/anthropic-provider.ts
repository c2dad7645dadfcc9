/** The `anthropic` provider: the Messages API, streamed, through the official SDK. */
import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
} from "@anthropic-ai/sdk";
import type { LlmProvider } from "../../provider.js";
import { classifyError } from "../classify-error.js";
import { DEFAULT_TIMEOUT_MS } from "../defaults.js";
import { readStream } from "../read-stream.js";
import { AnthropicAnswer } from "./anthropic-answer.js";
import { toAnthropicRequest } from "./anthropic-request.js";

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";

export interface AnthropicProviderOptions {
  apiKey: string;
  /** The server's root, without `/v1` (the SDK adds it). */
  baseUrl?: string;
  /** Longest wait for the answer to start and between two events; default 5 minutes. */
  timeoutMs?: number;
  /** Replaces the global fetch (a twin's, a proxy's). */
  fetch?: typeof globalThis.fetch;
}

export function createAnthropicProvider(options: AnthropicProviderOptions): LlmProvider {
  const baseUrl = options.baseUrl ?? ANTHROPIC_BASE_URL;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // An explicit key and base URL keep the SDK from reading ANTHROPIC_* from process.env.
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: baseUrl,
    // The tool loop retries with backoff; retries here too would multiply the attempts.
    maxRetries: 0,
    timeout: timeoutMs,
    // Core code never prints; failures come back as errors.
    logLevel: "off",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const context = { provider: "anthropic", baseUrl, apiKey: options.apiKey, timeoutMs };
  const sdkErrors = { APIError, APIConnectionError, APIConnectionTimeoutError };

  return {
    name: "anthropic",
    async complete(request, signal) {
      const body = toAnthropicRequest(request);
      const answer = new AnthropicAnswer();
      await readStream(
        (streamSignal) => client.messages.create(body, { signal: streamSignal }),
        (event) => answer.add(event),
        {
          provider: "anthropic",
          signal,
          timeoutMs,
          classify: (error) => classifyError(error, sdkErrors, context),
        },
      );
      return answer.result();
    },
  };
}

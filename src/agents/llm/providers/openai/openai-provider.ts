/**
 * The `openai` provider: Chat Completions through the official SDK, which every
 * OpenAI-compatible server (Ollama, vLLM, llama.cpp) also speaks.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { LlmProvider } from "../../provider.js";
import { classifyError } from "../classify-error.js";
import { DEFAULT_TIMEOUT_MS } from "../defaults.js";
import { readStream } from "../read-stream.js";
import { OpenAiAnswer } from "./openai-answer.js";
import { type TokenLimitField, toOpenAiRequest } from "./openai-request.js";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

export interface OpenAiProviderOptions {
  apiKey: string;
  /** The server's API root, with its `/v1` (Ollama: `http://127.0.0.1:11434/v1`). */
  baseUrl?: string;
  /** Longest wait for the answer to start and between two chunks; default 5 minutes. */
  timeoutMs?: number;
  /** Replaces the global fetch (a twin's, a proxy's). */
  fetch?: typeof globalThis.fetch;
}

export function createOpenAiProvider(options: OpenAiProviderOptions): LlmProvider {
  const baseUrl = options.baseUrl ?? OPENAI_BASE_URL;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Everything is passed explicitly so the SDK reads nothing from process.env.
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: baseUrl,
    organization: null,
    project: null,
    // The tool loop retries with backoff; retries here too would multiply the attempts.
    maxRetries: 0,
    timeout: timeoutMs,
    // Core code never prints; failures come back as errors.
    logLevel: "off",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const tokenLimit: TokenLimitField = isOpenAi(baseUrl) ? "max_completion_tokens" : "max_tokens";
  const context = { provider: "openai", baseUrl, apiKey: options.apiKey, timeoutMs };
  const sdkErrors = { APIError, APIConnectionError, APIConnectionTimeoutError };

  return {
    name: "openai",
    async complete(request, signal) {
      const body = toOpenAiRequest(request, tokenLimit);
      const answer = new OpenAiAnswer();
      await readStream(
        (streamSignal) => client.chat.completions.create(body, { signal: streamSignal }),
        (chunk) => answer.add(chunk),
        {
          provider: "openai",
          signal,
          timeoutMs,
          classify: (error) => classifyError(error, sdkErrors, context),
        },
      );
      return answer.result();
    },
  };
}

function isOpenAi(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === "api.openai.com";
  } catch {
    return false;
  }
}

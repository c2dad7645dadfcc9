/**
 * OpenAI's error envelope, `{"error":{"message","type","param","code"}}`, its types and codes by
 * status, and its `x-ratelimit-*` headers.
 */
import type { RateLimitState, VendorErrors } from "../../runtime/contract.js";

/** Thrown by a route; the route's wrapper answers it in OpenAI's shape. */
export class OpenAiApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type = "invalid_request_error",
  ) {
    super(message);
  }
}

export function errorBody(
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
) {
  return { error: { message, type, param, code } };
}

export const openaiErrors: VendorErrors = {
  error(status, message) {
    if (status === 401)
      return { body: errorBody(message, "invalid_request_error", null, "invalid_api_key") };
    if (status === 429)
      return {
        body: errorBody(
          `Rate limit reached for requests. ${message}.`,
          "requests",
          null,
          "rate_limit_exceeded",
        ),
      };
    if (status >= 500) return { body: errorBody(message, "server_error") };
    return { body: errorBody(message, "invalid_request_error") };
  },
  rateLimitHeaders(bucket: RateLimitState, always: boolean): Record<string, string> {
    // On every answer, as OpenAI sends them; retry-after (seconds) on a 429.
    const headers: Record<string, string> = {
      "x-ratelimit-limit-requests": String(bucket.limit),
      "x-ratelimit-remaining-requests": String(bucket.remaining),
      "x-ratelimit-reset-requests": `${bucket.resetAfter ?? 0}s`,
    };
    if (!always) headers["retry-after"] = String(Math.max(1, Math.ceil(bucket.retryAfter)));
    return headers;
  },
};

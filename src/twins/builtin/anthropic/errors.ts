/**
 * Anthropic's error envelope, `{"type":"error","error":{"type","message"}}`, its error types by
 * status (529 is `overloaded_error`), and its rate-limit headers.
 */
import type { RateLimitState, VendorErrors } from "../../runtime/contract.js";

export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "timeout_error"
  | "overloaded_error";

/** Thrown by a route; the route's wrapper answers it in Anthropic's shape. */
export class AnthropicApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: AnthropicErrorType,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(type: AnthropicErrorType, message: string) {
  return { type: "error" as const, error: { type, message } };
}

export function typeFor(status: number): AnthropicErrorType {
  switch (status) {
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

export const anthropicErrors: VendorErrors = {
  error(status, message) {
    // Anthropic's own word for its best-known failure; the runtime's words otherwise.
    return { body: errorBody(typeFor(status), status === 529 ? "Overloaded" : message) };
  },
  rateLimitHeaders(bucket: RateLimitState, always: boolean): Record<string, string> {
    // Anthropic sends its request budget on every answer, and retry-after on a 429.
    const headers: Record<string, string> = {
      "anthropic-ratelimit-requests-limit": String(bucket.limit),
      "anthropic-ratelimit-requests-remaining": String(bucket.remaining),
      "anthropic-ratelimit-requests-reset": new Date(bucket.resetAt * 1000).toISOString(),
    };
    if (!always) headers["retry-after"] = String(Math.max(1, Math.ceil(bucket.retryAfter)));
    return headers;
  },
};

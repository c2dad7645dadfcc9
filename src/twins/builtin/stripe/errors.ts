/** Stripe's error envelope, `{error: {type, code, message, param, doc_url}}`, and its statuses. */
import type { RateLimitState, VendorErrors } from "../../index.js";

export type StripeErrorType =
  | "api_error"
  | "card_error"
  | "idempotency_error"
  | "invalid_request_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
  request_log_url?: string;
  [key: string]: unknown;
}

/** Thrown by a route; the envelope turns it into Stripe's answer. */
export class StripeApiError extends Error {
  /** Whether the request got as far as executing (Stripe then saves it for idempotent replay). */
  executed = false;
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
  /** Marks the error as coming from an executed request (402 declines, state refusals). */
  afterExecution(): this {
    this.executed = true;
    return this;
  }
}

export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`;
}

/** The body Stripe sends: `{error: {...}}`, with `doc_url` for coded errors. */
export function errorEnvelope(body: StripeErrorBody): { error: StripeErrorBody } {
  const error: StripeErrorBody = { ...body };
  if (error.code && !error.doc_url) error.doc_url = docUrl(error.code);
  return { error };
}

export function resourceMissing(kind: string, id: string, param = "id"): StripeApiError {
  return new StripeApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

export function unexpectedState(message: string, param?: string): StripeApiError {
  return new StripeApiError(400, {
    type: "invalid_request_error",
    code: "payment_intent_unexpected_state",
    message,
    ...(param ? { param } : {}),
  }).afterExecution();
}

export function badRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, {
    type: "invalid_request_error",
    message,
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });
}

/** The object under `id` in `collection`, or Stripe's 404 naming it as `kind`. */
export function retrieve<T>(collection: Record<string, T>, kind: string, id: string): T {
  const found = collection[id];
  if (!found) throw resourceMissing(kind, id);
  return found;
}

export const stripeErrors: VendorErrors = {
  error(status, message) {
    switch (status) {
      case 401:
        return {
          body: errorEnvelope({ type: "invalid_request_error", message }),
        };
      case 402:
        return { body: errorEnvelope({ type: "card_error", code: "card_declined", message }) };
      case 409:
        return {
          body: errorEnvelope({ type: "invalid_request_error", code: "lock_timeout", message }),
          headers: { "Stripe-Should-Retry": "true" },
        };
      case 413:
        return {
          body: errorEnvelope({
            type: "invalid_request_error",
            message: `Request too large: ${message}.`,
          }),
        };
      case 429:
        return {
          body: errorEnvelope({
            type: "invalid_request_error",
            code: "rate_limit",
            message:
              "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.",
          }),
          headers: { "Stripe-Should-Retry": "true" },
        };
      default:
        if (status >= 500) {
          return {
            body: errorEnvelope({
              type: "api_error",
              message: `${message}. Stripe's twin could not complete the request; you can safely retry it with the same idempotency key.`,
            }),
          };
        }
        return { body: errorEnvelope({ type: "invalid_request_error", message }) };
    }
  },
  rateLimitHeaders(bucket: RateLimitState, always: boolean): Record<string, string> {
    // Stripe sends no rate-limit headers on ordinary answers; a 429 says when to come back,
    // and `Stripe-Should-Retry` is what stripe-node's retry loop listens to.
    if (always) return {};
    return {
      "Retry-After": String(Math.max(1, Math.ceil(bucket.retryAfter))),
      "Stripe-Should-Retry": "true",
    };
  },
};

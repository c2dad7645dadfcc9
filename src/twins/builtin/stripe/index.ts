/**
 * The `stripe` twin: customers, payment intents (with Stripe's state machine and test cards),
 * charges, refunds, events and signed webhooks at Stripe's own `/v1/` paths, with its auth,
 * idempotency keys, list pagination and error shapes. Test mode only: it takes `sk_test_` and
 * `rk_test_` keys (or exactly `options.apiKeys`).
 *
 * Options: `webhookUrl` and `webhookSecret` (events POSTed with `Stripe-Signature`),
 * `webhookMaxAttempts` (3), `webhookRetryDelayMs` (250, times the attempt number),
 * `webhookTimestamps: "virtual"` to sign with the twin's clock instead of the wall clock
 * (the wall clock is what `stripe.webhooks.constructEvent`'s tolerance expects), `apiKeys`.
 */
import type { TwinDefinition } from "../../index.js";
import { chargeRoutes } from "./charges.js";
import { customerRoutes } from "./customers.js";
import { type Endpoint, endpoint } from "./envelope.js";
import { stripeErrors } from "./errors.js";
import { eventRoutes } from "./events.js";
import { paymentIntentRoutes } from "./payment-intents.js";
import { refundRoutes } from "./refunds.js";
import { initialState, type StripeState } from "./state.js";

export type { StripeState } from "./state.js";
export { signatureHeader } from "./webhooks.js";

const ROUTES: Record<string, Endpoint> = {
  ...customerRoutes,
  ...paymentIntentRoutes,
  ...chargeRoutes,
  ...refundRoutes,
  ...eventRoutes,
};

export const stripeTwin: TwinDefinition<StripeState> = {
  name: "stripe",
  description:
    "Stripe in test mode: customers, payment intents, charges, refunds, events and signed webhooks, with idempotency keys and Stripe's errors",
  initialState: (random) => initialState(random.hex(8)),
  routes(app, twin) {
    for (const [route, definition] of Object.entries(ROUTES)) {
      const [method = "GET", path = "/"] = route.split(" ");
      app.on(method, path, endpoint(twin, definition));
    }
  },
  // stripe-node gives every POST a random idempotency key of its own: constant in the journal.
  journalHeader: (name, value) =>
    name === "idempotency-key" && value.startsWith("stripe-node-retry-")
      ? "stripe-node-retry-(generated)"
      : value,
  errors: {
    ...stripeErrors,
    error(status, message) {
      const answer = stripeErrors.error(status, message);
      if (status === 404 && message.startsWith("Unrecognized request URL")) {
        const body = answer.body as { error: { message: string } };
        body.error.message = `${message}. Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;
      }
      return answer;
    },
  },
};

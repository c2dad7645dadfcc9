/**
 * `/v1/payment_intents` and their state machine (the charge a confirmation makes is in
 * `charging.ts`):
 *
 *   requires_payment_method --payment_method--> requires_confirmation --confirm-->
 *     succeeded (capture_method automatic[_async]) | requires_capture (manual) --capture--> succeeded
 *     | requires_payment_method again on a decline (402 card_error, last_payment_error)
 *   any of requires_* --cancel--> canceled
 */

import { amountParam, currencyParam, money } from "./amounts.js";
import { checkPaymentMethod, confirm, materialize } from "./charging.js";
import { liveCustomer } from "./customers.js";
import type { Endpoint } from "./envelope.js";
import { badRequest, retrieve, unexpectedState } from "./errors.js";
import { listEndpoint } from "./lists.js";
import {
  allowOnly,
  bool,
  hash,
  int,
  metadata,
  nullableStr,
  oneOf,
  type Params,
  requireParam,
  str,
  stringList,
} from "./params.js";
import type { Charge, PaymentIntent, PaymentIntentStatus, StripeState } from "./state.js";

function intent(state: StripeState, id: string): PaymentIntent {
  return retrieve(state.paymentIntents, "payment_intent", id);
}

const CONFIRMABLE: PaymentIntentStatus[] = [
  "requires_confirmation",
  "requires_action",
  "requires_payment_method",
];
const CANCELABLE: PaymentIntentStatus[] = [
  "requires_payment_method",
  "requires_capture",
  "requires_confirmation",
  "requires_action",
  "processing",
];
const UPDATABLE: PaymentIntentStatus[] = [
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
];
/** Fields Stripe lets you change whatever the status. */
const ALWAYS_UPDATABLE = ["metadata", "description", "receipt_email", "shipping", "expand"];
const INTENT_EXPANDABLE = [
  "customer",
  "payment_method",
  "latest_charge",
  "application",
  "on_behalf_of",
  "review",
  "source",
];
const INTENT_FIELDS = [
  "amount",
  "currency",
  "customer",
  "description",
  "metadata",
  "payment_method",
  "payment_method_types",
  "payment_method_options",
  "receipt_email",
  "setup_future_usage",
  "shipping",
  "statement_descriptor",
  "statement_descriptor_suffix",
  "capture_method",
  "transfer_group",
  "application_fee_amount",
];
const CONFIRM_FIELDS = [
  "payment_method",
  "receipt_email",
  "return_url",
  "off_session",
  "setup_future_usage",
  "shipping",
  "payment_method_options",
  "payment_method_types",
  "error_on_requires_action",
  "mandate_data",
  "use_stripe_sdk",
  "capture_method",
];
const CAPTURE_METHODS = ["automatic", "automatic_async", "manual"] as const;

function pmTypes(params: Params): string[] | undefined {
  const types = stringList(params, "payment_method_types");
  if (types?.some((t) => t !== "card")) {
    throw badRequest(
      "The payment method type provided is not supported by the twin: only card is.",
      "payment_method_types",
      "payment_method_invalid_parameter",
    );
  }
  return types;
}

export const paymentIntentRoutes: Record<string, Endpoint> = {
  "POST /v1/payment_intents": {
    expandable: INTENT_EXPANDABLE,
    handle(call) {
      const { params, state } = call;
      allowOnly(params, [
        ...INTENT_FIELDS,
        ...CONFIRM_FIELDS,
        "confirm",
        "confirmation_method",
        "automatic_payment_methods",
      ]);
      requireParam(params, "amount");
      const currency = currencyParam(params, true) as string;
      const amount = amountParam(params, "amount", currency) as number;
      const customerId = nullableStr(params, "customer") ?? null;
      if (customerId) liveCustomer(state, customerId, "customer");
      const pmRef = nullableStr(params, "payment_method") ?? null;
      if (pmRef) checkPaymentMethod(state, pmRef);
      const doConfirm = bool(params, "confirm") ?? false;
      const captureMethod = oneOf(params, "capture_method", CAPTURE_METHODS) ?? "automatic_async";
      const confirmationMethod =
        oneOf(params, "confirmation_method", ["automatic", "manual"] as const) ?? "automatic";
      const meta = metadata(params) ?? {};
      const types = pmTypes(params);
      const apm = hash(params, "automatic_payment_methods");
      const description = nullableStr(params, "description") ?? null;
      const receiptEmail = nullableStr(params, "receipt_email") ?? null;
      const setupFutureUsage =
        oneOf(params, "setup_future_usage", ["on_session", "off_session"] as const) ?? null;
      const fee = int(params, "application_fee_amount") ?? null;
      bool(params, "off_session");

      const id = call.twin.random.id("pi_", 24);
      const pi: PaymentIntent = {
        id,
        object: "payment_intent",
        amount,
        amount_capturable: 0,
        amount_details: { tip: {} },
        amount_received: 0,
        application: null,
        application_fee_amount: fee,
        automatic_payment_methods: types
          ? null
          : { allow_redirects: "always", enabled: apm ? apm.enabled !== "false" : true },
        canceled_at: null,
        cancellation_reason: null,
        capture_method: captureMethod,
        client_secret: `${id}_secret_${call.twin.random.id("", 25)}`,
        confirmation_method: confirmationMethod,
        created: call.now,
        currency,
        customer: customerId,
        description,
        last_payment_error: null,
        latest_charge: null,
        livemode: false,
        metadata: meta,
        next_action: null,
        on_behalf_of: null,
        payment_method: null,
        payment_method_options: {
          card: {
            installments: null,
            mandate_options: null,
            network: null,
            request_three_d_secure: "automatic",
          },
        },
        payment_method_types: types ?? ["card"],
        processing: null,
        receipt_email: receiptEmail,
        review: null,
        setup_future_usage: setupFutureUsage,
        shipping: hash(params, "shipping") ?? null,
        source: null,
        statement_descriptor: nullableStr(params, "statement_descriptor") ?? null,
        statement_descriptor_suffix: nullableStr(params, "statement_descriptor_suffix") ?? null,
        status: "requires_payment_method",
        transfer_data: null,
        transfer_group: nullableStr(params, "transfer_group") ?? null,
      };
      if (pmRef) {
        pi.payment_method = materialize(call, pmRef, customerId).id;
        pi.status = "requires_confirmation";
      }
      state.paymentIntents[id] = pi;
      call.emit("payment_intent.created", pi);
      if (doConfirm) confirm(call, pi);
      return { body: pi };
    },
  },
  "GET /v1/payment_intents/:id": {
    expandable: INTENT_EXPANDABLE,
    handle(call, id) {
      allowOnly(call.params, ["client_secret"]);
      return { body: intent(call.state, id) };
    },
  },
  "POST /v1/payment_intents/:id": {
    expandable: INTENT_EXPANDABLE,
    handle(call, id) {
      const { params, state } = call;
      allowOnly(params, INTENT_FIELDS);
      const pi = intent(state, id);
      if (!UPDATABLE.includes(pi.status)) {
        const refused = Object.keys(params).find((key) => !ALWAYS_UPDATABLE.includes(key));
        if (refused) {
          throw unexpectedState(
            `This PaymentIntent's ${refused} could not be updated because it has a status of ${pi.status}. You may only update the ${refused} of a PaymentIntent with one of the following statuses: ${UPDATABLE.join(", ")}.`,
            refused,
          );
        }
      }
      const currency = currencyParam(params, false) ?? pi.currency;
      const amount = amountParam(params, "amount", currency);
      const customerId = nullableStr(params, "customer");
      if (customerId) liveCustomer(state, customerId, "customer");
      const pmRef = nullableStr(params, "payment_method");
      if (pmRef) checkPaymentMethod(state, pmRef);
      const captureMethod = oneOf(params, "capture_method", CAPTURE_METHODS);
      const meta = metadata(params, pi.metadata);
      const types = pmTypes(params);
      const setupFutureUsage = oneOf(params, "setup_future_usage", [
        "on_session",
        "off_session",
      ] as const);
      const fee = int(params, "application_fee_amount");
      const shipping = hash(params, "shipping");

      if (amount !== undefined) pi.amount = amount;
      pi.currency = currency;
      if (customerId !== undefined) pi.customer = customerId;
      if (captureMethod) pi.capture_method = captureMethod;
      if (meta) pi.metadata = meta;
      if (types) pi.payment_method_types = types;
      if (setupFutureUsage) pi.setup_future_usage = setupFutureUsage;
      if (fee !== undefined) pi.application_fee_amount = fee;
      if (shipping !== undefined) pi.shipping = shipping;
      for (const field of [
        "description",
        "receipt_email",
        "statement_descriptor",
        "statement_descriptor_suffix",
        "transfer_group",
      ] as const) {
        const value = nullableStr(params, field);
        if (value !== undefined) pi[field] = value;
      }
      if (pmRef !== undefined) {
        pi.payment_method = pmRef ? materialize(call, pmRef, pi.customer).id : null;
        pi.status = pmRef ? "requires_confirmation" : "requires_payment_method";
      }
      return { body: pi };
    },
  },
  "POST /v1/payment_intents/:id/confirm": {
    expandable: INTENT_EXPANDABLE,
    handle(call, id) {
      const { params, state } = call;
      allowOnly(params, [...CONFIRM_FIELDS, "client_secret"]);
      const pi = intent(state, id);
      if (!CONFIRMABLE.includes(pi.status)) {
        throw unexpectedState(
          pi.status === "succeeded"
            ? "You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed."
            : `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(", ")}.`,
        );
      }
      const pmRef = nullableStr(params, "payment_method");
      if (pmRef) checkPaymentMethod(state, pmRef);
      const captureMethod = oneOf(params, "capture_method", CAPTURE_METHODS);
      const receiptEmail = nullableStr(params, "receipt_email");
      bool(params, "off_session");
      if (captureMethod) pi.capture_method = captureMethod;
      if (receiptEmail !== undefined) pi.receipt_email = receiptEmail;
      if (pmRef) pi.payment_method = materialize(call, pmRef, pi.customer).id;
      confirm(call, pi);
      return { body: pi };
    },
  },
  "POST /v1/payment_intents/:id/capture": {
    expandable: INTENT_EXPANDABLE,
    handle(call, id) {
      const { params, state } = call;
      allowOnly(params, [
        "amount_to_capture",
        "application_fee_amount",
        "final_capture",
        "metadata",
        "statement_descriptor",
        "statement_descriptor_suffix",
      ]);
      const pi = intent(state, id);
      if (pi.status !== "requires_capture") {
        throw unexpectedState(
          `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        );
      }
      const requested = int(params, "amount_to_capture");
      const meta = metadata(params, pi.metadata);
      bool(params, "final_capture");
      const amount = requested ?? pi.amount_capturable;
      if (amount > pi.amount_capturable) {
        throw badRequest(
          `The amount to capture (${money(amount, pi.currency)}) is greater than the amount capturable on this PaymentIntent (${money(pi.amount_capturable, pi.currency)}).`,
          "amount_to_capture",
          "amount_too_large",
        );
      }
      if (amount < 1) {
        throw badRequest(
          "Invalid positive integer",
          "amount_to_capture",
          "parameter_invalid_integer",
        );
      }
      const charge = state.charges[pi.latest_charge ?? ""] as Charge;
      const before = { captured: charge.captured, amount_captured: charge.amount_captured };
      charge.captured = true;
      charge.amount_captured = amount;
      charge.balance_transaction = call.twin.random.id("txn_", 24);
      if (meta) pi.metadata = meta;
      pi.amount_received = amount;
      pi.amount_capturable = 0;
      pi.status = "succeeded";
      call.emit("charge.captured", charge, before);
      call.emit("payment_intent.succeeded", pi);
      return { body: pi };
    },
  },
  "POST /v1/payment_intents/:id/cancel": {
    expandable: INTENT_EXPANDABLE,
    handle(call, id) {
      const { params, state } = call;
      allowOnly(params, ["cancellation_reason"]);
      const pi = intent(state, id);
      const reason = oneOf(params, "cancellation_reason", [
        "duplicate",
        "fraudulent",
        "requested_by_customer",
        "abandoned",
      ] as const);
      if (!CANCELABLE.includes(pi.status)) {
        throw unexpectedState(
          `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
        );
      }
      if (pi.status === "requires_capture") {
        const charge = state.charges[pi.latest_charge ?? ""];
        if (charge) {
          charge.amount_refunded = charge.amount;
          charge.refunded = true;
        }
      }
      pi.status = "canceled";
      pi.canceled_at = call.now;
      pi.cancellation_reason = reason ?? null;
      pi.amount_capturable = 0;
      call.emit("payment_intent.canceled", pi);
      return { body: pi };
    },
  },
  "GET /v1/payment_intents": listEndpoint({
    collection: (state) => state.paymentIntents,
    url: "/v1/payment_intents",
    kind: "payment_intent",
    params: ["customer"],
    expandable: INTENT_EXPANDABLE,
    filter(params) {
      const customer = str(params, "customer");
      return (pi) => customer === undefined || pi.customer === customer;
    },
  }),
};

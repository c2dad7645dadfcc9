/**
 * Payment intents and their state machine, the charges they make on Stripe's test cards,
 * refunds, payment methods and events.
 *
 *   requires_payment_method --payment_method--> requires_confirmation --confirm-->
 *     succeeded (capture_method automatic[_async]) | requires_capture (manual) --capture--> succeeded
 *     | requires_payment_method again on a decline (402 card_error, last_payment_error)
 *   any of requires_* --cancel--> canceled
 */

import { liveCustomer } from "./customers.js";
import type { Call, Endpoint } from "./envelope.js";
import { docUrl, resourceMissing, StripeApiError, unexpectedState } from "./errors.js";
import { LIST_PARAMS, listPage } from "./lists.js";
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
import type {
  Charge,
  PaymentError,
  PaymentIntent,
  PaymentIntentStatus,
  PaymentMethod,
  Refund,
  StripeState,
} from "./state.js";
import { TEST_CARDS } from "./test-cards.js";

const CURRENCIES = [
  "usd",
  "eur",
  "gbp",
  "jpy",
  "cad",
  "aud",
  "chf",
  "sek",
  "nok",
  "dkk",
  "pln",
  "czk",
  "huf",
  "nzd",
  "sgd",
  "hkd",
  "mxn",
  "brl",
  "inr",
  "krw",
  "cny",
  "zar",
  "aed",
  "ils",
  "thb",
  "try",
  "ron",
  "bgn",
  "myr",
  "php",
  "idr",
  "twd",
];
const ZERO_DECIMAL = ["jpy", "krw", "twd", "huf"];
const MINIMUM: Record<string, number> = { usd: 50, eur: 50, gbp: 30, jpy: 50, cad: 50, aud: 50 };
const SYMBOL: Record<string, string> = {
  usd: "$",
  eur: "€",
  gbp: "£",
  jpy: "¥",
  cad: "$",
  aud: "$",
};

/** `$10.00`, `€0.50`, `¥500`: amounts the way Stripe's messages write them. */
export function money(amount: number, currency: string): string {
  const symbol = SYMBOL[currency] ?? `${currency.toUpperCase()} `;
  return ZERO_DECIMAL.includes(currency)
    ? `${symbol}${amount}`
    : `${symbol}${(amount / 100).toFixed(2)}`;
}

function badRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, {
    type: "invalid_request_error",
    message,
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });
}

function currencyParam(params: Params, required: boolean): string | undefined {
  if (required) requireParam(params, "currency");
  const value = str(params, "currency")?.toLowerCase();
  if (value !== undefined && !CURRENCIES.includes(value)) {
    throw badRequest(
      `Invalid currency: ${value}. Stripe currently supports these currencies: ${CURRENCIES.join(", ")}`,
      "currency",
    );
  }
  return value;
}

function amountParam(params: Params, name: string, currency: string): number | undefined {
  const amount = int(params, name);
  if (amount === undefined) return undefined;
  const minimum = MINIMUM[currency] ?? 50;
  if (amount < minimum) {
    throw badRequest(
      `Amount must be at least ${money(minimum, currency)} ${currency}`,
      name,
      "amount_too_small",
    );
  }
  if (amount > 99_999_999) {
    throw badRequest(
      `Amount must be no more than ${money(99_999_999, currency)}`,
      name,
      "amount_too_large",
    );
  }
  return amount;
}

/** A `payment_method` param: an id the twin made, or one of Stripe's `pm_card_*` test cards. */
function checkPaymentMethod(state: StripeState, value: string): void {
  if (state.paymentMethods[value] || TEST_CARDS[value]) return;
  throw badRequest(`No such PaymentMethod: '${value}'`, "payment_method", "resource_missing");
}

function materialize(call: Call, value: string, customer: string | null): PaymentMethod {
  const existing = call.state.paymentMethods[value];
  if (existing) return existing;
  const card = TEST_CARDS[value];
  if (!card) throw resourceMissing("PaymentMethod", value, "payment_method");
  const pm: PaymentMethod = {
    id: call.twin.random.id("pm_", 24),
    object: "payment_method",
    billing_details: { address: null, email: null, name: null, phone: null },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: card.country,
      exp_month: 12,
      exp_year: 2034,
      fingerprint: call.twin.random.id("", 16),
      funding: card.funding,
      last4: card.last4,
    },
    created: call.now,
    customer,
    livemode: false,
    metadata: {},
    type: "card",
  };
  call.state.paymentMethods[pm.id] = pm;
  call.state.testCards[pm.id] = value;
  return pm;
}

function intent(state: StripeState, id: string): PaymentIntent {
  const pi = state.paymentIntents[id];
  if (!pi) throw resourceMissing("payment_intent", id);
  return pi;
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

/** Charges the intent's payment method; throws the 402 on a decline (after recording it). */
function confirm(call: Call, pi: PaymentIntent): void {
  const pmId = pi.payment_method;
  if (!pmId) {
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
    );
  }
  const pm = call.state.paymentMethods[pmId] as PaymentMethod;
  const card = TEST_CARDS[call.state.testCards[pmId] ?? "pm_card_visa"] ?? TEST_CARDS.pm_card_visa;
  const decline = card?.decline;
  const manual = pi.capture_method === "manual";
  const chargeId = call.twin.random.id("ch_", 24);
  const charge: Charge = {
    id: chargeId,
    object: "charge",
    amount: pi.amount,
    amount_captured: decline || manual ? 0 : pi.amount,
    amount_refunded: 0,
    balance_transaction: decline || manual ? null : call.twin.random.id("txn_", 24),
    billing_details: pm.billing_details,
    calculated_statement_descriptor: "DARKFACTORY TWIN",
    captured: !decline && !manual,
    created: call.now,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_code: decline ? decline.code : null,
    failure_message: decline ? decline.message : null,
    livemode: false,
    metadata: { ...pi.metadata },
    outcome: decline
      ? {
          network_status: "declined_by_network",
          reason: decline.decline_code ?? decline.code,
          risk_level: "normal",
          risk_score: call.twin.random.int(0, 60),
          seller_message: "The bank did not return any further details with this decline.",
          type: "issuer_declined",
        }
      : {
          network_status: "approved_by_network",
          reason: null,
          risk_level: "normal",
          risk_score: call.twin.random.int(0, 60),
          seller_message: "Payment complete.",
          type: "authorized",
        },
    paid: !decline,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: { card: pm.card, type: "card" },
    receipt_email: pi.receipt_email,
    receipt_url: `https://pay.stripe.com/receipts/payment/${chargeId}`,
    refunded: false,
    status: decline ? "failed" : "succeeded",
  };
  call.state.charges[chargeId] = charge;
  pi.latest_charge = chargeId;
  if (decline) {
    const error: PaymentError = {
      type: "card_error",
      code: decline.code,
      ...(decline.decline_code ? { decline_code: decline.decline_code } : {}),
      doc_url: docUrl(decline.code),
      message: decline.message,
      charge: chargeId,
      payment_method: structuredClone(pm),
      payment_method_type: "card",
    };
    pi.status = "requires_payment_method";
    pi.last_payment_error = error;
    pi.payment_method = null;
    call.emit("charge.failed", charge);
    call.emit("payment_intent.payment_failed", pi);
    throw new StripeApiError(402, {
      ...error,
      payment_intent: structuredClone(pi),
    }).afterExecution();
  }
  pi.last_payment_error = null;
  call.emit("charge.succeeded", charge);
  if (manual) {
    pi.status = "requires_capture";
    pi.amount_capturable = pi.amount;
    call.emit("payment_intent.amount_capturable_updated", pi);
  } else {
    pi.status = "succeeded";
    pi.amount_received = pi.amount;
    call.emit("payment_intent.succeeded", pi);
  }
}

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
  "GET /v1/payment_intents": {
    list: true,
    expandable: INTENT_EXPANDABLE,
    handle(call) {
      allowOnly(call.params, [...LIST_PARAMS, "customer"]);
      const customer = str(call.params, "customer");
      return {
        body: listPage(
          call,
          call.state.paymentIntents,
          "/v1/payment_intents",
          "payment_intent",
          (pi) => customer === undefined || pi.customer === customer,
        ),
      };
    },
  },
};

const CHARGE_EXPANDABLE = ["customer", "payment_intent", "balance_transaction", "payment_method"];

export const chargeRoutes: Record<string, Endpoint> = {
  "GET /v1/charges/:id": {
    expandable: CHARGE_EXPANDABLE,
    handle(call, id) {
      allowOnly(call.params, []);
      const charge = call.state.charges[id];
      if (!charge) throw resourceMissing("charge", id);
      return { body: charge };
    },
  },
  "GET /v1/charges": {
    list: true,
    expandable: CHARGE_EXPANDABLE,
    handle(call) {
      allowOnly(call.params, [...LIST_PARAMS, "customer", "payment_intent", "transfer_group"]);
      const customer = str(call.params, "customer");
      const pi = str(call.params, "payment_intent");
      return {
        body: listPage(
          call,
          call.state.charges,
          "/v1/charges",
          "charge",
          (charge) =>
            (customer === undefined || charge.customer === customer) &&
            (pi === undefined || charge.payment_intent === pi),
        ),
      };
    },
  },
  "GET /v1/payment_methods/:id": {
    expandable: ["customer"],
    handle(call, id) {
      allowOnly(call.params, []);
      const pm = call.state.paymentMethods[id];
      if (!pm) throw resourceMissing("PaymentMethod", id);
      return { body: pm };
    },
  },
};

const REFUND_EXPANDABLE = ["charge", "payment_intent", "balance_transaction"];
const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;

function refund(state: StripeState, id: string): Refund {
  const found = state.refunds[id];
  if (!found) throw resourceMissing("refund", id);
  return found;
}

export const refundRoutes: Record<string, Endpoint> = {
  "POST /v1/refunds": {
    expandable: REFUND_EXPANDABLE,
    handle(call) {
      const { params, state } = call;
      allowOnly(params, [
        "amount",
        "charge",
        "payment_intent",
        "reason",
        "metadata",
        "instructions_email",
        "refund_application_fee",
        "reverse_transfer",
        "origin",
        "currency",
        "customer",
      ]);
      const chargeParam = str(params, "charge");
      const piParam = str(params, "payment_intent");
      if (!chargeParam && !piParam) {
        throw badRequest(
          "One of the following params should be provided for this request: payment_intent or charge.",
          "payment_intent",
          "parameter_missing",
        );
      }
      let charge: Charge | undefined;
      if (piParam) {
        const pi = state.paymentIntents[piParam];
        if (!pi) {
          throw badRequest(
            `No such payment_intent: '${piParam}'`,
            "payment_intent",
            "resource_missing",
          );
        }
        if (pi.status !== "succeeded") {
          throw badRequest(
            `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
            "payment_intent",
          );
        }
        charge = state.charges[pi.latest_charge ?? ""];
        if (chargeParam && charge?.id !== chargeParam) {
          throw badRequest(
            `Charge ${chargeParam} does not belong to PaymentIntent ${pi.id}.`,
            "charge",
          );
        }
      } else if (chargeParam) {
        charge = state.charges[chargeParam];
        if (!charge)
          throw badRequest(`No such charge: '${chargeParam}'`, "charge", "resource_missing");
      }
      if (!charge) throw badRequest("There is no charge to refund.", "payment_intent");
      if (charge.status !== "succeeded" || !charge.captured) {
        throw badRequest(
          charge.status === "failed"
            ? `Charge ${charge.id} failed and cannot be refunded.`
            : `Charge ${charge.id} has not been captured; cancel its PaymentIntent instead.`,
          "charge",
        );
      }
      const reason = oneOf(params, "reason", REFUND_REASONS) ?? null;
      const meta = metadata(params) ?? {};
      const requested = int(params, "amount");
      const refundable = charge.amount_captured - charge.amount_refunded;
      if (refundable <= 0) {
        throw badRequest(
          `Charge ${charge.id} has already been refunded.`,
          undefined,
          "charge_already_refunded",
        );
      }
      if (requested !== undefined && requested < 1) {
        throw badRequest("Invalid positive integer", "amount", "parameter_invalid_integer");
      }
      const amount = requested ?? refundable;
      if (amount > refundable) {
        throw badRequest(
          charge.amount_refunded === 0
            ? `Refund amount (${money(amount, charge.currency)}) is greater than charge amount (${money(charge.amount_captured, charge.currency)})`
            : `Refund amount (${money(amount, charge.currency)}) is greater than unrefunded amount on charge (${money(refundable, charge.currency)})`,
          "amount",
          "amount_too_large",
        );
      }
      const created: Refund = {
        id: call.twin.random.id("re_", 24),
        object: "refund",
        amount,
        balance_transaction: call.twin.random.id("txn_", 24),
        charge: charge.id,
        created: call.now,
        currency: charge.currency,
        destination_details: {
          card: {
            reference_status: "pending",
            reference_type: "acquirer_reference_number",
            type: "refund",
          },
          type: "card",
        },
        metadata: meta,
        payment_intent: charge.payment_intent,
        reason,
        receipt_number: null,
        source_transfer_reversal: null,
        status: "succeeded",
        transfer_reversal: null,
      };
      state.refunds[created.id] = created;
      const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
      charge.amount_refunded += amount;
      charge.refunded = charge.amount_refunded >= charge.amount_captured;
      call.emit("refund.created", created);
      call.emit("charge.refunded", charge, previous);
      return { body: created };
    },
  },
  "GET /v1/refunds/:id": {
    expandable: REFUND_EXPANDABLE,
    handle(call, id) {
      allowOnly(call.params, []);
      return { body: refund(call.state, id) };
    },
  },
  "POST /v1/refunds/:id": {
    expandable: REFUND_EXPANDABLE,
    handle(call, id) {
      allowOnly(call.params, ["metadata"]);
      const found = refund(call.state, id);
      const meta = metadata(call.params, found.metadata);
      if (meta) {
        const previous = { metadata: found.metadata };
        found.metadata = meta;
        call.emit("refund.updated", found, previous);
      }
      return { body: found };
    },
  },
  "POST /v1/refunds/:id/cancel": {
    expandable: REFUND_EXPANDABLE,
    handle(call, id) {
      allowOnly(call.params, []);
      const found = refund(call.state, id);
      if (found.status !== "requires_action") {
        throw badRequest(
          `Refund ${found.id} cannot be canceled because it has a status of ${found.status}. Only refunds with a status of requires_action can be canceled.`,
        ).afterExecution();
      }
      return { body: found };
    },
  },
  "GET /v1/refunds": {
    list: true,
    expandable: REFUND_EXPANDABLE,
    handle(call) {
      allowOnly(call.params, [...LIST_PARAMS, "charge", "payment_intent"]);
      const charge = str(call.params, "charge");
      const pi = str(call.params, "payment_intent");
      return {
        body: listPage(
          call,
          call.state.refunds,
          "/v1/refunds",
          "refund",
          (r) =>
            (charge === undefined || r.charge === charge) &&
            (pi === undefined || r.payment_intent === pi),
        ),
      };
    },
  },
};

export const eventRoutes: Record<string, Endpoint> = {
  "GET /v1/events/:id": {
    handle(call, id) {
      allowOnly(call.params, []);
      const event = call.state.events[id];
      if (!event) throw resourceMissing("event", id);
      return { body: event };
    },
  },
  "GET /v1/events": {
    list: true,
    handle(call) {
      allowOnly(call.params, [...LIST_PARAMS, "type", "types", "delivery_success"]);
      const type = str(call.params, "type");
      const types = stringList(call.params, "types");
      bool(call.params, "delivery_success");
      const matches = (name: string) => {
        if (types && !types.includes(name)) return false;
        if (type === undefined) return true;
        if (type.endsWith(".*")) return name.startsWith(type.slice(0, -1));
        return name === type;
      };
      return {
        body: listPage(call, call.state.events, "/v1/events", "event", (e) => matches(e.type)),
      };
    },
  },
};

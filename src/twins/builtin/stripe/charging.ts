/**
 * What confirming a payment intent does: the payment method it names (an id the twin made, or one
 * of Stripe's `pm_card_*` test cards, materialized on first use) and the charge it makes, approved
 * or declined the way the test card says.
 */
import type { Call } from "./envelope.js";
import { badRequest, docUrl, resourceMissing, StripeApiError, unexpectedState } from "./errors.js";
import type { Charge, PaymentError, PaymentIntent, PaymentMethod, StripeState } from "./state.js";
import { TEST_CARDS } from "./test-cards.js";

/** A `payment_method` param: an id the twin made, or one of Stripe's `pm_card_*` test cards. */
export function checkPaymentMethod(state: StripeState, value: string): void {
  if (state.paymentMethods[value] || TEST_CARDS[value]) return;
  throw badRequest(`No such PaymentMethod: '${value}'`, "payment_method", "resource_missing");
}

export function materialize(call: Call, value: string, customer: string | null): PaymentMethod {
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
/** Charges the intent's payment method; throws the 402 on a decline (after recording it). */
export function confirm(call: Call, pi: PaymentIntent): void {
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

/** `/v1/refunds`: create (full or partial, by charge or payment intent), retrieve, update, cancel, list. */
import { money } from "./amounts.js";
import type { Endpoint } from "./envelope.js";
import { badRequest, retrieve } from "./errors.js";
import { listEndpoint } from "./lists.js";
import { allowOnly, int, metadata, oneOf, str } from "./params.js";
import type { Charge, Refund, StripeState } from "./state.js";

const REFUND_EXPANDABLE = ["charge", "payment_intent", "balance_transaction"];
const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;

function refund(state: StripeState, id: string): Refund {
  return retrieve(state.refunds, "refund", id);
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
  "GET /v1/refunds": listEndpoint({
    collection: (state) => state.refunds,
    url: "/v1/refunds",
    kind: "refund",
    params: ["charge", "payment_intent"],
    expandable: REFUND_EXPANDABLE,
    filter(params) {
      const charge = str(params, "charge");
      const pi = str(params, "payment_intent");
      return (r) =>
        (charge === undefined || r.charge === charge) &&
        (pi === undefined || r.payment_intent === pi);
    },
  }),
};

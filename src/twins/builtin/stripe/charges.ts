/** `/v1/charges` (retrieve, list) and `/v1/payment_methods/:id`: read-only, made by confirmation. */
import type { Endpoint } from "./envelope.js";
import { retrieve } from "./errors.js";
import { listEndpoint } from "./lists.js";
import { allowOnly, str } from "./params.js";

const CHARGE_EXPANDABLE = ["customer", "payment_intent", "balance_transaction", "payment_method"];

export const chargeRoutes: Record<string, Endpoint> = {
  "GET /v1/charges/:id": {
    expandable: CHARGE_EXPANDABLE,
    handle(call, id) {
      allowOnly(call.params, []);
      return { body: retrieve(call.state.charges, "charge", id) };
    },
  },
  "GET /v1/charges": listEndpoint({
    collection: (state) => state.charges,
    url: "/v1/charges",
    kind: "charge",
    params: ["customer", "payment_intent", "transfer_group"],
    expandable: CHARGE_EXPANDABLE,
    filter(params) {
      const customer = str(params, "customer");
      const pi = str(params, "payment_intent");
      return (charge) =>
        (customer === undefined || charge.customer === customer) &&
        (pi === undefined || charge.payment_intent === pi);
    },
  }),
  "GET /v1/payment_methods/:id": {
    expandable: ["customer"],
    handle(call, id) {
      allowOnly(call.params, []);
      return { body: retrieve(call.state.paymentMethods, "PaymentMethod", id) };
    },
  },
};

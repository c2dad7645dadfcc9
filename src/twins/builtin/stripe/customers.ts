/** `/v1/customers`: create, retrieve, update, list, delete. */
import type { Endpoint } from "./envelope.js";
import { resourceMissing, retrieve, StripeApiError } from "./errors.js";
import { listEndpoint } from "./lists.js";
import {
  allowOnly,
  hash,
  int,
  metadata,
  nullableStr,
  type Params,
  str,
  stringList,
} from "./params.js";
import type { Customer, StripeState } from "./state.js";

const WRITABLE = [
  "address",
  "balance",
  "description",
  "email",
  "invoice_prefix",
  "invoice_settings",
  "metadata",
  "name",
  "phone",
  "preferred_locales",
  "shipping",
  "tax_exempt",
] as const;
const CREATE = [...WRITABLE, "payment_method", "test_clock", "tax", "source"];
const UPDATE = [...WRITABLE, "default_source", "source", "tax"];

function email(params: Params): string | null | undefined {
  const value = nullableStr(params, "email");
  if (value && !/^[^\s@]+@[^\s@]+$/.test(value)) {
    throw new StripeApiError(400, {
      type: "invalid_request_error",
      code: "email_invalid",
      message: `Invalid email address: ${value}`,
      param: "email",
    });
  }
  return value;
}

/** Validates the writable fields, then applies them (so a refused request changes nothing). */
function writer(params: Params, customer: Customer | undefined): (target: Customer) => void {
  const fields = {
    email: email(params),
    name: nullableStr(params, "name"),
    description: nullableStr(params, "description"),
    phone: nullableStr(params, "phone"),
    address: hash(params, "address"),
    shipping: hash(params, "shipping"),
    balance: int(params, "balance"),
    invoice_prefix: str(params, "invoice_prefix"),
    preferred_locales: stringList(params, "preferred_locales"),
    tax_exempt: nullableStr(params, "tax_exempt"),
    metadata: metadata(params, customer?.metadata),
    invoice_settings: hash(params, "invoice_settings"),
  };
  if (fields.tax_exempt && !["none", "exempt", "reverse"].includes(fields.tax_exempt)) {
    throw new StripeApiError(400, {
      type: "invalid_request_error",
      message: "Invalid tax_exempt: must be one of none, exempt, or reverse",
      param: "tax_exempt",
    });
  }
  return (target) => {
    if (fields.email !== undefined) target.email = fields.email;
    if (fields.name !== undefined) target.name = fields.name;
    if (fields.description !== undefined) target.description = fields.description;
    if (fields.phone !== undefined) target.phone = fields.phone;
    if (fields.address !== undefined) target.address = fields.address;
    if (fields.shipping !== undefined) target.shipping = fields.shipping;
    if (fields.balance !== undefined) target.balance = fields.balance;
    if (fields.invoice_prefix !== undefined) target.invoice_prefix = fields.invoice_prefix;
    if (fields.preferred_locales !== undefined) target.preferred_locales = fields.preferred_locales;
    if (fields.tax_exempt !== undefined) target.tax_exempt = fields.tax_exempt ?? "none";
    if (fields.metadata !== undefined) target.metadata = fields.metadata;
    const pm = fields.invoice_settings?.default_payment_method;
    if (typeof pm === "string") target.invoice_settings.default_payment_method = pm || null;
  };
}

export function liveCustomer(state: StripeState, id: string, param?: string): Customer {
  const customer = state.customers[id];
  if (!customer || customer.deleted) {
    if (param) {
      throw new StripeApiError(400, {
        type: "invalid_request_error",
        code: "resource_missing",
        message: `No such customer: '${id}'`,
        param,
      });
    }
    throw resourceMissing("customer", id);
  }
  return customer;
}

export const customerRoutes: Record<string, Endpoint> = {
  "POST /v1/customers": {
    handle(call) {
      allowOnly(call.params, CREATE);
      const apply = writer(call.params, undefined);
      const id = call.twin.random.id("cus_", 14);
      const customer: Customer = {
        id,
        object: "customer",
        address: null,
        balance: 0,
        created: call.now,
        currency: null,
        default_source: null,
        delinquent: false,
        description: null,
        email: null,
        invoice_prefix: call.twin.random.hex(4).toUpperCase(),
        invoice_settings: {
          custom_fields: null,
          default_payment_method: null,
          footer: null,
          rendering_options: null,
        },
        livemode: false,
        metadata: {},
        name: null,
        next_invoice_sequence: 1,
        phone: null,
        preferred_locales: [],
        shipping: null,
        tax_exempt: "none",
        test_clock: null,
      };
      apply(customer);
      call.state.customers[id] = customer;
      call.emit("customer.created", customer);
      return { body: customer };
    },
  },
  "GET /v1/customers/:id": {
    handle(call, id) {
      allowOnly(call.params, []);
      const customer = retrieve(call.state.customers, "customer", id);
      if (customer.deleted) return { body: { id, object: "customer", deleted: true } };
      return { body: customer };
    },
  },
  "POST /v1/customers/:id": {
    handle(call, id) {
      allowOnly(call.params, UPDATE);
      const customer = liveCustomer(call.state, id);
      const before = structuredClone(customer);
      writer(call.params, customer)(customer);
      const previous: Record<string, unknown> = {};
      for (const key of Object.keys(customer) as (keyof Customer)[]) {
        if (JSON.stringify(customer[key]) !== JSON.stringify(before[key])) {
          previous[key] = before[key];
        }
      }
      if (Object.keys(previous).length > 0) call.emit("customer.updated", customer, previous);
      return { body: customer };
    },
  },
  "DELETE /v1/customers/:id": {
    handle(call, id) {
      allowOnly(call.params, []);
      const customer = liveCustomer(call.state, id);
      call.emit("customer.deleted", customer);
      customer.deleted = true;
      return { body: { id, object: "customer", deleted: true } };
    },
  },
  "GET /v1/customers": listEndpoint({
    collection: (state) => state.customers,
    url: "/v1/customers",
    kind: "customer",
    params: ["email", "test_clock"],
    expandable: ["default_source", "test_clock"],
    filter(params) {
      const wanted = str(params, "email");
      return (customer) => !customer.deleted && (wanted === undefined || customer.email === wanted);
    },
  }),
};

export const customerExpandable = ["default_source", "test_clock"];

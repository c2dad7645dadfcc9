/** The twin's state: Stripe's own objects, in plain JSON, in creation order. */

export type Metadata = Record<string, string>;

export interface Customer {
  id: string;
  object: "customer";
  address: unknown;
  balance: number;
  created: number;
  currency: string | null;
  default_source: string | null;
  delinquent: boolean;
  description: string | null;
  email: string | null;
  invoice_prefix: string;
  invoice_settings: {
    custom_fields: null;
    default_payment_method: string | null;
    footer: null;
    rendering_options: null;
  };
  livemode: false;
  metadata: Metadata;
  name: string | null;
  next_invoice_sequence: number;
  phone: string | null;
  preferred_locales: string[];
  shipping: unknown;
  tax_exempt: string;
  test_clock: null;
  /** Deleted customers answer `{id, object, deleted: true}`. */
  deleted?: true;
}

export interface CardDetails {
  brand: string;
  checks: { address_line1_check: null; address_postal_code_check: null; cvc_check: string };
  country: string;
  exp_month: number;
  exp_year: number;
  fingerprint: string;
  funding: string;
  last4: string;
}

export interface PaymentMethod {
  id: string;
  object: "payment_method";
  billing_details: {
    address: null;
    email: null;
    name: null;
    phone: null;
  };
  card: CardDetails;
  created: number;
  customer: string | null;
  livemode: false;
  metadata: Metadata;
  type: "card";
}

export interface PaymentError {
  type: "card_error";
  code: string;
  decline_code?: string;
  doc_url: string;
  message: string;
  charge: string;
  payment_method: PaymentMethod;
  payment_method_type: "card";
}

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "canceled"
  | "succeeded";

export interface PaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_capturable: number;
  amount_details: { tip: Record<string, never> };
  amount_received: number;
  application: null;
  application_fee_amount: number | null;
  automatic_payment_methods: { allow_redirects?: string; enabled: boolean } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: "automatic" | "automatic_async" | "manual";
  client_secret: string;
  confirmation_method: "automatic" | "manual";
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  last_payment_error: PaymentError | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Metadata;
  next_action: null;
  on_behalf_of: null;
  payment_method: string | null;
  payment_method_options: Record<string, unknown>;
  payment_method_types: string[];
  processing: null;
  receipt_email: string | null;
  review: null;
  setup_future_usage: string | null;
  shipping: unknown;
  source: null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  status: PaymentIntentStatus;
  transfer_data: null;
  transfer_group: string | null;
}

export interface Charge {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  balance_transaction: string | null;
  billing_details: PaymentMethod["billing_details"];
  calculated_statement_descriptor: string;
  captured: boolean;
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  disputed: boolean;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  metadata: Metadata;
  outcome: {
    network_status: string;
    reason: string | null;
    risk_level: string;
    risk_score: number;
    seller_message: string;
    type: string;
  };
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  payment_method_details: { card: CardDetails; type: "card" };
  receipt_email: string | null;
  receipt_url: string;
  refunded: boolean;
  status: "succeeded" | "pending" | "failed";
}

export interface Refund {
  id: string;
  object: "refund";
  amount: number;
  balance_transaction: string | null;
  charge: string;
  created: number;
  currency: string;
  destination_details: {
    card: { reference_status: string; reference_type: string; type: string };
    type: "card";
  };
  metadata: Metadata;
  payment_intent: string;
  reason: string | null;
  receipt_number: null;
  source_transfer_reversal: null;
  status: "pending" | "requires_action" | "succeeded" | "failed" | "canceled";
  transfer_reversal: null;
}

export interface StripeEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface IdempotencyRecord {
  method: string;
  path: string;
  /** Canonical JSON of the parameters it was first used with. */
  params: string;
  status: number;
  body: string;
  requestId: string;
  /** Epoch seconds (virtual clock); Stripe keeps keys for 24 hours. */
  created: number;
}

export interface StripeState {
  customers: Record<string, Customer>;
  paymentMethods: Record<string, PaymentMethod>;
  /** Which test card (`pm_card_visa`...) each payment method was made from. */
  testCards: Record<string, string>;
  paymentIntents: Record<string, PaymentIntent>;
  charges: Record<string, Charge>;
  refunds: Record<string, Refund>;
  events: Record<string, StripeEvent>;
  /** Keyed by a digest of the API key and the Idempotency-Key, never the key itself. */
  idempotency: Record<string, IdempotencyRecord>;
  /**
   * Request ids count requests under a seeded salt rather than drawing from the random source,
   * so reads (and retries) never shift the ids of the objects later requests create.
   */
  requests: { salt: string; count: number };
}

export function initialState(salt: string): StripeState {
  return {
    customers: {},
    paymentMethods: {},
    testCards: {},
    paymentIntents: {},
    charges: {},
    refunds: {},
    events: {},
    idempotency: {},
    requests: { salt, count: 0 },
  };
}

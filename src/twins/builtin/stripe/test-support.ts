/** What the stripe twin's test files share: keys, a served twin with its SDK client, `caught`. */
import type { Server } from "node:http";
import Stripe from "stripe";
import { type CreateTwinOptions, createTwin, type ServedTwin, type Twin } from "../../index.js";
import { type StripeState, stripeTwin } from "./index.js";

export const KEY = "sk_test_twin4242424242424242";
export const OTHER_KEY = "sk_test_other0000000000000000";
export const WEBHOOK_SECRET = "whsec_twin_test_secret";

type Config = ConstructorParameters<typeof Stripe>[1];

/** Servers a test opened; each test file closes its own with `afterAll(closeOpened)`. */
export const opened: (ServedTwin | Server)[] = [];
export async function closeOpened(): Promise<void> {
  for (const thing of opened.reverse()) {
    if ("url" in thing) await thing.close();
    else await new Promise<void>((done) => thing.close(() => done()));
  }
}

export async function start(options: CreateTwinOptions = {}): Promise<{
  twin: Twin<StripeState>;
  served: ServedTwin;
  stripe: (config?: Config, key?: string) => Stripe;
}> {
  const twin = createTwin(stripeTwin, { seed: "stripe-suite", ...options });
  const served = await twin.serve({ port: 0 });
  opened.push(served);
  const stripe = (config: Config = {}, key = KEY) =>
    new Stripe(key, {
      host: "127.0.0.1",
      port: served.port,
      protocol: "http",
      telemetry: false,
      maxNetworkRetries: 0,
      ...config,
    });
  return { twin, served, stripe };
}

export async function caught(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error("expected the call to be refused");
}

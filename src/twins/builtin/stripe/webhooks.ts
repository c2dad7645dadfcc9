/**
 * Signed webhooks: the events a request raised, POSTed to `options.webhookUrl` after the answer,
 * one twin's deliveries in order, with `Stripe-Signature` and bounded retries.
 */
import { createHmac } from "node:crypto";
import type { TwinContext } from "../../index.js";
import type { StripeEvent, StripeState } from "./state.js";

interface WebhookTarget {
  url: string;
  secret: string;
  attempts: number;
  retryDelayMs: number;
  virtualTimestamps: boolean;
}

export function webhookTarget(options: Record<string, unknown>): WebhookTarget | undefined {
  const { webhookUrl, webhookSecret } = options;
  if (typeof webhookUrl !== "string" || typeof webhookSecret !== "string") return undefined;
  const attempts = Number(options.webhookMaxAttempts ?? 3);
  const retryDelayMs = Number(options.webhookRetryDelayMs ?? 250);
  return {
    url: webhookUrl,
    secret: webhookSecret,
    attempts: Number.isInteger(attempts) && attempts > 0 ? attempts : 3,
    retryDelayMs: Number.isFinite(retryDelayMs) && retryDelayMs >= 0 ? retryDelayMs : 250,
    virtualTimestamps: options.webhookTimestamps === "virtual",
  };
}

/** `t=<seconds>,v1=<HMAC-SHA256 of "<t>.<payload>" keyed by the endpoint's secret>`. */
export function signatureHeader(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

/** Webhook deliveries of one twin, one after another, in the order the events happened. */
const queues = new WeakMap<object, Promise<void>>();

export function deliver(twin: TwinContext<StripeState>, events: StripeEvent[]): void {
  const target = webhookTarget(twin.options);
  if (!target) return;
  const payloads = events.map((event) => JSON.stringify(event, null, 2));
  const before = queues.get(twin) ?? Promise.resolve();
  const run = before.then(async () => {
    const failures: string[] = [];
    for (const payload of payloads) {
      const failure = await post(twin, target, payload);
      if (failure) failures.push(failure);
    }
    if (failures.length > 0) throw new Error(failures.join("; "));
  });
  queues.set(
    twin,
    run.catch(() => undefined),
  );
  twin.defer(() => run);
}

async function post(
  twin: TwinContext<StripeState>,
  target: WebhookTarget,
  payload: string,
): Promise<string | undefined> {
  let last = "";
  for (let attempt = 1; attempt <= target.attempts; attempt++) {
    const timestamp = target.virtualTimestamps
      ? twin.clock.seconds()
      : Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "Stripe-Signature": signatureHeader(payload, target.secret, timestamp),
        },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return undefined;
      last = `webhook ${target.url} answered ${response.status}`;
    } catch (error) {
      last = `webhook ${target.url} failed: ${(error as Error).message}`;
    }
    if (attempt < target.attempts) {
      await new Promise((resolve) => setTimeout(resolve, target.retryDelayMs * attempt));
    }
  }
  return `${last} after ${target.attempts} attempts`;
}

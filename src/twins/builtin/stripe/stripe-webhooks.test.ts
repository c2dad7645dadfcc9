import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createTwin } from "../../index.js";
import { stripeTwin } from "./index.js";
import { caught, closeOpened, KEY, opened, start, WEBHOOK_SECRET } from "./test-support.js";

afterAll(closeOpened);

describe("stripe twin webhooks", () => {
  let receiver: Server | undefined;
  afterEach(() => {
    receiver = undefined;
  });

  async function listen(failFirst: number) {
    const received: { body: string; signature: string }[] = [];
    let seen = 0;
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        seen++;
        if (seen <= failFirst) {
          res.writeHead(500).end("not yet");
          return;
        }
        received.push({
          body: Buffer.concat(chunks).toString("utf8"),
          signature: String(req.headers["stripe-signature"] ?? ""),
        });
        res.writeHead(200).end("ok");
      });
    });
    const server = receiver;
    opened.push(server);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    return { received, url: `http://127.0.0.1:${port}/hook`, attempts: () => seen };
  }

  it("posts signed events that stripe.webhooks.constructEvent verifies, and lists them", async () => {
    const hook = await listen(0);
    const { stripe, twin } = await start({
      options: { webhookUrl: hook.url, webhookSecret: WEBHOOK_SECRET },
    });
    const api = stripe();
    const pi = await api.paymentIntents.create({
      amount: 3000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    await api.refunds.create({ payment_intent: pi.id, amount: 1000 });
    await caught(
      api.paymentIntents.create({
        amount: 3000,
        currency: "usd",
        payment_method: "pm_card_chargeDeclinedInsufficientFunds",
        confirm: true,
      }),
    );
    await twin.settle();
    const events = hook.received.map(({ body, signature }) =>
      api.webhooks.constructEvent(body, signature, WEBHOOK_SECRET),
    );
    expect(events.map((e) => e.type)).toEqual([
      "payment_intent.created",
      "charge.succeeded",
      "payment_intent.succeeded",
      "refund.created",
      "charge.refunded",
      "payment_intent.created",
      "charge.failed",
      "payment_intent.payment_failed",
    ]);
    const succeeded = events[2] as Stripe.PaymentIntentSucceededEvent;
    expect(succeeded.data.object).toMatchObject({ id: pi.id, status: "succeeded" });
    expect(events[0]?.id).toMatch(/^evt_/);
    const forged = hook.received[0];
    expect(() =>
      api.webhooks.constructEvent(`${forged?.body} `, forged?.signature ?? "", WEBHOOK_SECRET),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);

    const listed = await api.events.list({ limit: 3 });
    expect(listed.data.map((e) => e.type)).toEqual([
      "payment_intent.payment_failed",
      "charge.failed",
      "payment_intent.created",
    ]);
    const refundEvents = await api.events.list({ type: "charge.*" });
    expect(refundEvents.data.map((e) => e.type)).toEqual([
      "charge.failed",
      "charge.refunded",
      "charge.succeeded",
    ]);
    expect((await api.events.retrieve(events[3]?.id ?? "")).type).toBe("refund.created");
  });

  it("retries a failing webhook endpoint, bounded", async () => {
    const hook = await listen(2);
    const { stripe, twin } = await start({
      options: { webhookUrl: hook.url, webhookSecret: WEBHOOK_SECRET, webhookRetryDelayMs: 10 },
    });
    await stripe().customers.create({ email: "hook@example.com" });
    await twin.settle();
    expect(hook.attempts()).toBe(3);
    expect(hook.received).toHaveLength(1);
    expect(
      stripe().webhooks.constructEvent(
        hook.received[0]?.body ?? "",
        hook.received[0]?.signature ?? "",
        WEBHOOK_SECRET,
      ).type,
    ).toBe("customer.created");
  });
});

describe("stripe twin runtime behaviour", () => {
  it("gets through a rate limit with the SDK's own retries", async () => {
    const { stripe, twin } = await start({
      faults: {
        rules: [{ route: "POST /v1/customers", rate_limit: { limit: 2, per_seconds: 0.5 } }],
      },
    });
    const patient = stripe({ maxNetworkRetries: 3 });
    const impatient = stripe({ maxNetworkRetries: 0 });
    await patient.customers.create({ name: "a" });
    await patient.customers.create({ name: "b" });
    const limited = await caught(impatient.customers.create({ name: "c" }));
    expect(limited).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(limited.statusCode).toBe(429);
    expect(limited.code).toBe("rate_limit");
    expect(limited.headers?.["retry-after"]).toMatch(/^\d+$/);
    const third = await patient.customers.create({ name: "c" });
    expect(third.name).toBe("c");
    const faults = twin.journal().filter((entry) => entry.fault === "rate_limit");
    expect(faults.length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(twin.state().customers)).toHaveLength(3);
  });

  it("gives the same ids and journal for the same seed and calls", async () => {
    const run = async () => {
      const { stripe, twin } = await start({ seed: "same-seed" });
      const api = stripe();
      const customer = await api.customers.create(
        { email: "d@example.com" },
        { idempotencyKey: "k1" },
      );
      const pi = await api.paymentIntents.create(
        {
          amount: 1234,
          currency: "usd",
          customer: customer.id,
          payment_method: "pm_card_visa",
          confirm: true,
        },
        { idempotencyKey: "k2" },
      );
      const refund = await api.refunds.create({ payment_intent: pi.id }, { idempotencyKey: "k3" });
      await api.customers.list({ limit: 1 });
      return { ids: [customer.id, pi.id, refund.id], journal: JSON.stringify(twin.journal()) };
    };
    const [a, b] = [await run(), await run()];
    expect(b.ids).toEqual(a.ids);
    expect(b.journal).toBe(a.journal);
    const other = createTwin(stripeTwin, { seed: "another-seed" });
    const response = await other.fetch(
      new Request("http://twin/v1/customers", {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}` },
      }),
    );
    expect(((await response.json()) as { id: string }).id).not.toBe(a.ids[0]);
  });

  it("snapshots and restores through the admin API", async () => {
    const { stripe, served } = await start();
    const api = stripe();
    const kept = await api.customers.create({ name: "kept" });
    const snapshot = await (
      await fetch(`${served.url}/__twin/snapshot`, { method: "POST" })
    ).text();
    const dropped = await api.customers.create({ name: "dropped" });
    const restored = await fetch(`${served.url}/__twin/restore`, {
      method: "POST",
      body: snapshot,
    });
    expect(restored.status).toBe(200);
    expect((await api.customers.list()).data.map((c) => c.id)).toEqual([kept.id]);
    const again = await api.customers.create({ name: "again" });
    expect(again.id).toBe(dropped.id);

    // `created` is the virtual clock's, and lists filter on it.
    await fetch(`${served.url}/__twin/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advance_ms: 3_600_000 }),
    });
    const later = await api.customers.create({ name: "later" });
    expect(later.created).toBe(kept.created + 3600);
    const recent = await api.customers.list({ created: { gt: kept.created } });
    expect(recent.data.map((c) => c.id)).toEqual([later.id]);
    expect(await caught(api.customers.retrieve("cus_notthere"))).toMatchObject({ statusCode: 404 });
  });
});

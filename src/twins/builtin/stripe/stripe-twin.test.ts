import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { caught, closeOpened, KEY, OTHER_KEY, start } from "./test-support.js";

afterAll(closeOpened);

describe("stripe twin through the official SDK", () => {
  it("runs customer → payment intent → confirm → capture → partial and full refunds", async () => {
    const { stripe } = await start();
    const api = stripe();
    const customer = await api.customers.create({
      email: "ada@example.com",
      name: "Ada",
      metadata: { plan: "pro", order_id: "7" },
    });
    expect(customer.id).toMatch(/^cus_[0-9A-Za-z]{14}$/);
    expect(customer.metadata).toEqual({ plan: "pro", order_id: "7" });
    const updated = await api.customers.update(customer.id, {
      metadata: { plan: "", seats: "3" },
      description: "first",
    });
    expect(updated.metadata).toEqual({ order_id: "7", seats: "3" });
    expect((await api.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      description: "first",
      email: "ada@example.com",
    });

    const pi = await api.paymentIntents.create({
      amount: 2000,
      currency: "usd",
      customer: customer.id,
      payment_method: "pm_card_visa",
      capture_method: "manual",
      metadata: { order: "42" },
    });
    expect(pi).toMatchObject({ status: "requires_confirmation", amount: 2000, currency: "usd" });
    expect(pi.id).toMatch(/^pi_/);
    expect(pi.payment_method).toMatch(/^pm_/);
    const confirmed = await api.paymentIntents.confirm(pi.id);
    expect(confirmed).toMatchObject({ status: "requires_capture", amount_capturable: 2000 });
    const tooMuch = await caught(api.paymentIntents.capture(pi.id, { amount_to_capture: 2500 }));
    expect(tooMuch).toMatchObject({ code: "amount_too_large", param: "amount_to_capture" });
    const captured = await api.paymentIntents.capture(pi.id, { amount_to_capture: 1500 });
    expect(captured).toMatchObject({
      status: "succeeded",
      amount_received: 1500,
      amount_capturable: 0,
    });
    const expanded = await api.paymentIntents.retrieve(pi.id, {
      expand: ["latest_charge", "customer"],
    });
    const charge = expanded.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: "charge", amount_captured: 1500, captured: true });
    expect((expanded.customer as Stripe.Customer).email).toBe("ada@example.com");

    const partial = await api.refunds.create({ payment_intent: pi.id, amount: 500 });
    expect(partial).toMatchObject({ amount: 500, status: "succeeded", charge: charge.id });
    expect(partial.id).toMatch(/^re_/);
    const over = await caught(api.refunds.create({ payment_intent: pi.id, amount: 1001 }));
    expect(over).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(over).toMatchObject({ code: "amount_too_large", param: "amount", statusCode: 400 });
    expect(over.message).toBe(
      "Refund amount ($10.01) is greater than unrefunded amount on charge ($10.00)",
    );
    const rest = await api.refunds.create({ charge: charge.id });
    expect(rest.amount).toBe(1000);
    const again = await caught(api.refunds.create({ payment_intent: pi.id, amount: 1 }));
    expect(again).toMatchObject({ code: "charge_already_refunded", statusCode: 400 });
    const after = await api.charges.retrieve(charge.id);
    expect(after).toMatchObject({ amount_refunded: 1500, refunded: true });
    const refunds = await api.refunds.list({ payment_intent: pi.id });
    expect(refunds.data.map((r) => r.id)).toEqual([rest.id, partial.id]);
    expect(await api.refunds.retrieve(partial.id)).toMatchObject({ amount: 500 });

    const deleted = await api.customers.del(customer.id);
    expect(deleted).toMatchObject({ id: customer.id, deleted: true });
    expect(await api.customers.retrieve(customer.id)).toMatchObject({ deleted: true });
  });

  it("declines Stripe's test cards with card_error, last_payment_error and a failed charge", async () => {
    const { stripe } = await start();
    const api = stripe();
    const declined = await caught(
      api.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        payment_method: "pm_card_chargeDeclined",
        confirm: true,
      }),
    );
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({
      statusCode: 402,
      code: "card_declined",
      decline_code: "generic_decline",
      message: "Your card was declined.",
    });
    const piId = (declined.raw as { payment_intent: { id: string } }).payment_intent.id;
    const pi = await api.paymentIntents.retrieve(piId);
    expect(pi.status).toBe("requires_payment_method");
    expect(pi.last_payment_error).toMatchObject({ code: "card_declined", type: "card_error" });
    const failed = await api.charges.retrieve(pi.latest_charge as string);
    expect(failed).toMatchObject({ status: "failed", paid: false, failure_code: "card_declined" });

    const poor = await caught(
      api.paymentIntents.confirm(piId, {
        payment_method: "pm_card_chargeDeclinedInsufficientFunds",
      }),
    );
    expect(poor).toMatchObject({
      code: "card_declined",
      decline_code: "insufficient_funds",
      message: "Your card has insufficient funds.",
    });
    const expired = await caught(
      api.paymentIntents.confirm(piId, { payment_method: "pm_card_chargeDeclinedExpiredCard" }),
    );
    expect(expired).toMatchObject({ code: "expired_card" });
    const paid = await api.paymentIntents.confirm(piId, { payment_method: "pm_card_mastercard" });
    expect(paid).toMatchObject({ status: "succeeded", amount_received: 1000 });
    expect(paid.last_payment_error).toBeNull();
    const charges = await api.charges.list({ payment_intent: piId });
    expect(charges.data.map((c) => c.status)).toEqual(["succeeded", "failed", "failed", "failed"]);
  });

  it("refuses transitions the state machine does not allow", async () => {
    const { stripe } = await start();
    const api = stripe();
    const open = await api.paymentIntents.create({ amount: 700, currency: "eur" });
    expect(open.status).toBe("requires_payment_method");
    const noMethod = await caught(api.paymentIntents.confirm(open.id));
    expect(noMethod).toMatchObject({ code: "payment_intent_unexpected_state", statusCode: 400 });
    const notCapturable = await caught(api.paymentIntents.capture(open.id));
    expect(notCapturable.code).toBe("payment_intent_unexpected_state");
    expect(notCapturable.message).toContain("status of requires_payment_method");

    const done = await api.paymentIntents.create({
      amount: 900,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    expect(done.status).toBe("succeeded");
    for (const refused of [
      api.paymentIntents.confirm(done.id),
      api.paymentIntents.capture(done.id),
      api.paymentIntents.cancel(done.id),
      api.paymentIntents.update(done.id, { amount: 1000 }),
    ]) {
      const error = await caught(refused);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error.code).toBe("payment_intent_unexpected_state");
    }
    const tagged = await api.paymentIntents.update(done.id, { metadata: { note: "ok" } });
    expect(tagged.metadata).toEqual({ note: "ok" });

    const canceled = await api.paymentIntents.cancel(open.id, {
      cancellation_reason: "abandoned",
    });
    expect(canceled).toMatchObject({ status: "canceled", cancellation_reason: "abandoned" });
    expect((await caught(api.paymentIntents.confirm(open.id))).message).toContain(
      "status of canceled",
    );
    const uncapturedRefund = await caught(api.refunds.create({ payment_intent: open.id }));
    expect(uncapturedRefund).toMatchObject({ statusCode: 400, param: "payment_intent" });
  });

  it("replays an idempotent request byte for byte and refuses the key with other parameters", async () => {
    const { stripe, served } = await start();
    const api = stripe();
    const first = await api.customers.create(
      { email: "once@example.com" },
      { idempotencyKey: "create-once" },
    );
    const second = await api.customers.create(
      { email: "once@example.com" },
      { idempotencyKey: "create-once" },
    );
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect((await api.customers.list()).data).toHaveLength(1);

    const raw = async () =>
      fetch(`${served.url}/v1/customers`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${KEY}`,
          "content-type": "application/x-www-form-urlencoded",
          "idempotency-key": "raw-key",
        },
        body: "email=raw%40example.com&metadata[a]=1",
      });
    const [a, b] = [await raw(), await raw()];
    expect(await b.text()).toBe(await a.text());
    expect(b.headers.get("idempotent-replayed")).toBe("true");

    const other = await caught(
      api.customers.create({ email: "twice@example.com" }, { idempotencyKey: "create-once" }),
    );
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(other).toMatchObject({ type: "StripeIdempotencyError", statusCode: 400 });
    expect(other.rawType).toBe("idempotency_error");

    const elsewhere = await stripe({}, OTHER_KEY).customers.create(
      { email: "once@example.com" },
      { idempotencyKey: "create-once" },
    );
    expect(elsewhere.id).not.toBe(first.id);

    const declinedOnce = await caught(
      api.paymentIntents.create(
        { amount: 500, currency: "usd", payment_method: "pm_card_chargeDeclined", confirm: true },
        { idempotencyKey: "decline" },
      ),
    );
    const declinedTwice = await caught(
      api.paymentIntents.create(
        { amount: 500, currency: "usd", payment_method: "pm_card_chargeDeclined", confirm: true },
        { idempotencyKey: "decline" },
      ),
    );
    expect(declinedTwice.headers?.["idempotent-replayed"]).toBe("true");
    expect(declinedTwice.raw).toEqual(
      expect.objectContaining({ charge: (declinedOnce.raw as { charge: string }).charge }),
    );
    expect((await api.paymentIntents.list()).data).toHaveLength(1);
  });

  it("paginates with limit, starting_after, ending_before and autoPagingToArray", async () => {
    const { stripe } = await start();
    const api = stripe();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await api.customers.create({ name: `c${i}` })).id);
    const newestFirst = [...ids].reverse();
    const page = await api.customers.list({ limit: 10 });
    expect(page).toMatchObject({ object: "list", has_more: true, url: "/v1/customers" });
    expect(page.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 10));
    const next = await api.customers.list({ limit: 10, starting_after: page.data[9]?.id });
    expect(next.data.map((c) => c.id)).toEqual(newestFirst.slice(10, 20));
    const last = await api.customers.list({ limit: 10, starting_after: next.data[9]?.id });
    expect(last.data).toHaveLength(5);
    expect(last.has_more).toBe(false);
    const before = await api.customers.list({ limit: 3, ending_before: newestFirst[10] });
    expect(before.data.map((c) => c.id)).toEqual(newestFirst.slice(7, 10));
    expect(before.has_more).toBe(true);
    const all = await api.customers.list({ limit: 7 }).autoPagingToArray({ limit: 100 });
    expect(all.map((c) => c.id)).toEqual(newestFirst);
    const missing = await caught(api.customers.list({ starting_after: "cus_nope" }));
    expect(missing).toMatchObject({ code: "resource_missing", param: "starting_after" });
    const badLimit = await caught(api.customers.list({ limit: 101 }));
    expect(badLimit).toMatchObject({ param: "limit", statusCode: 400 });
  });

  it("answers bad parameters, unknown objects and bad keys in Stripe's shapes", async () => {
    const { stripe } = await start();
    const api = stripe();
    const missing = await caught(api.paymentIntents.create({ currency: "usd" } as never));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({
      code: "parameter_missing",
      param: "amount",
      message: "Missing required param: amount.",
      doc_url: "https://stripe.com/docs/error-codes/parameter-missing",
    });
    const tooSmall = await caught(api.paymentIntents.create({ amount: 10, currency: "usd" }));
    expect(tooSmall).toMatchObject({ code: "amount_too_small", param: "amount" });
    const notInt = await caught(
      api.paymentIntents.create({ amount: "ten" as unknown as number, currency: "usd" }),
    );
    expect(notInt).toMatchObject({ code: "parameter_invalid_integer", param: "amount" });
    const unknown = await caught(api.customers.create({ colour: "red" } as never));
    expect(unknown).toMatchObject({ code: "parameter_unknown", param: "colour" });
    const badCustomer = await caught(
      api.paymentIntents.create({ amount: 500, currency: "usd", customer: "cus_missing" }),
    );
    expect(badCustomer).toMatchObject({ code: "resource_missing", param: "customer" });
    const badCard = await caught(
      api.paymentIntents.create({ amount: 500, currency: "usd", payment_method: "pm_nope" }),
    );
    expect(badCard).toMatchObject({ code: "resource_missing", param: "payment_method" });
    const notFound = await caught(api.paymentIntents.retrieve("pi_missing"));
    expect(notFound).toMatchObject({
      statusCode: 404,
      code: "resource_missing",
      message: "No such payment_intent: 'pi_missing'",
    });
    const badExpand = await caught(api.customers.retrieve("cus_x", { expand: ["nonsense"] }));
    expect(badExpand).toMatchObject({ statusCode: 400, param: "expand[0]" });

    const unauthorized = await caught(stripe({}, "sk_test_").customers.list());
    expect(unauthorized).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(unauthorized.statusCode).toBe(401);
    const live = await caught(stripe({}, "sk_live_abcdefghijklmnop1234").customers.list());
    expect(live.message).toMatch(/^Invalid API Key provided: sk_live_\*+1234$/);
    const brackets = await caught(api.customers.create({ metadata: { "a[b]": "c" } }));
    expect(brackets).toMatchObject({ statusCode: 400, rawType: "invalid_request_error" });
  });

  it("answers malformed bodies, unknown routes and huge bodies with Stripe errors, never a crash", async () => {
    const { served, twin } = await start();
    const post = (
      path: string,
      body: string | Uint8Array,
      type = "application/x-www-form-urlencoded",
    ) =>
      fetch(`${served.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": type },
        body,
      });
    const cases: [Response, number][] = [
      [await post("/v1/customers", "email=%zz"), 400],
      [await post("/v1/customers", "metadata=x&metadata[a]=b"), 400],
      [await post("/v1/customers", "meta]data=1"), 400],
      [await post("/v1/customers", '{"email":"json@example.com"}', "application/json"), 400],
      [await post("/v1/payment_intents", "amount=1000&currency=usd&confirm=maybe"), 400],
      [await post("/v1/customers", new Uint8Array(2 * 1024 * 1024).fill(97)), 413],
      [await post("/v1/nothing_here", "a=1"), 404],
      [await fetch(`${served.url}/v1/customers`), 401],
      [
        await fetch(`${served.url}/v1/customers`, {
          headers: { authorization: "Bearer sk_test_x", "stripe-version": "yesterday" },
        }),
        400,
      ],
    ];
    for (const [response, status] of cases) {
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: { type: string; message: string } };
      expect(body.error.type).toMatch(/^(invalid_request_error|api_error)$/);
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    expect(twin.journal().some((entry) => entry.status >= 500)).toBe(false);
    expect(Object.keys(twin.state().customers)).toHaveLength(0);

    // What other clients send: Basic auth (curl -u), `expand[]`, `+` for spaces.
    const basic = `Basic ${Buffer.from(`${KEY}:`).toString("base64")}`;
    const customer = (await (
      await fetch(`${served.url}/v1/customers`, {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
        body: "name=Grace+Hopper&preferred_locales[]=en&preferred_locales[]=fr",
      })
    ).json()) as { id: string; name: string; preferred_locales: string[] };
    expect(customer).toMatchObject({ name: "Grace Hopper", preferred_locales: ["en", "fr"] });
    const pi = (await (
      await post("/v1/payment_intents", `amount=1000&currency=usd&customer=${customer.id}`)
    ).json()) as { id: string };
    const expanded = (await (
      await fetch(`${served.url}/v1/payment_intents/${pi.id}?expand[]=customer`, {
        headers: { authorization: basic },
      })
    ).json()) as { customer: { name: string } };
    expect(expanded.customer.name).toBe("Grace Hopper");
  });
});

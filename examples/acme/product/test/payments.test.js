// Stripe and Slack are stubbed at the HTTP level on 127.0.0.1, as the factory's twins will be.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, beforeEach, test } from "node:test";
import { createApp } from "../src/app.js";

const calls = { stripe: [], slack: [] };
let stripeStatus = 200;

function stub(name, answer) {
  return createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    calls[name].push({ method: req.method, url: req.url, headers: req.headers, body });
    const [status, json] = answer(body);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(json));
  });
}

const stripe = stub("stripe", (body) => {
  const form = new URLSearchParams(body);
  return stripeStatus === 200
    ? [
        200,
        {
          id: "pi_1",
          object: "payment_intent",
          amount: Number(form.get("amount")),
          status: "succeeded",
        },
      ]
    : [stripeStatus, { error: { type: "card_error", message: "Your card was declined." } }];
});
const slack = stub("slack", () => [200, { ok: true }]);
let app;
let base;

const listen = (server) =>
  new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`)),
  );

before(async () => {
  const stripeUrl = await listen(stripe);
  const slackUrl = await listen(slack);
  app = createApp({
    stripeBaseUrl: stripeUrl,
    stripeKey: "sk_test_example",
    slackBaseUrl: slackUrl,
    slackToken: "xoxb-example",
  });
  base = await listen(app);
});
after(() => Promise.all([app, stripe, slack].map((s) => new Promise((r) => s.close(r)))));
beforeEach(() => {
  calls.stripe.length = 0;
  calls.slack.length = 0;
  stripeStatus = 200;
});

const pay = (body, headers = {}) =>
  fetch(`${base}/payments`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

test("a payment is created and confirmed at Stripe, and #billing hears of it", async () => {
  const res = await pay(
    { amount: 1200, currency: "usd", customer: "cus_1" },
    { "idempotency-key": "k-1" },
  );
  assert.equal(res.status, 201);
  assert.deepEqual(await res.json(), { id: "pi_1", status: "succeeded", amount: 1200 });
  assert.equal(calls.stripe.length, 1);
  const [call] = calls.stripe;
  assert.equal(call.url, "/v1/payment_intents");
  assert.equal(call.headers.authorization, "Bearer sk_test_example");
  assert.equal(call.headers["idempotency-key"], "k-1");
  assert.deepEqual(Object.fromEntries(new URLSearchParams(call.body)), {
    amount: "1200",
    currency: "usd",
    customer: "cus_1",
    confirm: "true",
  });
  assert.equal(calls.slack.length, 1);
  assert.equal(JSON.parse(calls.slack[0].body).channel, "#billing");
});

test("a bad amount is refused before Stripe is called", async () => {
  for (const amount of [0, -5, 12.5, "12"]) {
    const res = await pay({ amount, currency: "usd", customer: "cus_1" });
    assert.equal(res.status, 400);
  }
  assert.equal(calls.stripe.length, 0);
});

test("a declined card is a 502 with Stripe's message, and no notice", async () => {
  stripeStatus = 402;
  const res = await pay({ amount: 500, currency: "usd", customer: "cus_1" });
  assert.equal(res.status, 502);
  assert.equal((await res.json()).error, "Your card was declined.");
  assert.equal(calls.slack.length, 0);
});

test("anything else is a 404, and /health answers", async () => {
  assert.equal((await fetch(`${base}/nope`)).status, 404);
  assert.equal((await fetch(`${base}/health`)).status, 200);
});

// The billing service: an HTTP handler with its two dependencies (Stripe, Slack) at base URLs.
import { createServer } from "node:http";

/** @param {{ stripeBaseUrl: string, stripeKey: string, slackBaseUrl: string, slackToken: string }} config */
export function createApp(config) {
  return createServer(async (req, res) => {
    try {
      if (req.method === "GET" && req.url === "/health") return send(res, 200, { ok: true });
      if (req.method === "POST" && req.url === "/payments")
        return await createPayment(config, req, res);
      return send(res, 404, { error: "not found" });
    } catch (error) {
      return send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  });
}

async function createPayment(config, req, res) {
  const body = await readJson(req);
  if (body === undefined) return send(res, 400, { error: "the body must be JSON" });
  const { amount, currency, customer, payment_method } = body;
  if (!Number.isInteger(amount) || amount <= 0)
    return send(res, 400, { error: "amount must be a positive whole number of cents" });
  if (typeof currency !== "string" || !/^[a-z]{3}$/.test(currency))
    return send(res, 400, { error: "currency must be a three-letter code" });
  if (typeof customer !== "string" || customer === "")
    return send(res, 400, { error: "customer is required" });
  if (payment_method !== undefined && typeof payment_method !== "string")
    return send(res, 400, { error: "payment_method must be a string" });

  const headers = {
    authorization: `Bearer ${config.stripeKey}`,
    "content-type": "application/x-www-form-urlencoded",
  };
  const key = req.headers["idempotency-key"];
  if (typeof key === "string") headers["idempotency-key"] = key;
  const stripe = await fetch(`${config.stripeBaseUrl}/v1/payment_intents`, {
    method: "POST",
    headers,
    body: new URLSearchParams({
      amount: String(amount),
      currency,
      customer,
      ...(payment_method ? { payment_method } : {}),
      confirm: "true",
    }),
  });
  const intent = await stripe.json();
  if (!stripe.ok)
    return send(res, 502, { error: intent?.error?.message ?? `stripe answered ${stripe.status}` });

  await notify(
    config,
    `Payment ${intent.id} of ${amount} ${currency} from ${customer}: ${intent.status}`,
  );
  return send(res, 201, { id: intent.id, status: intent.status, amount: intent.amount });
}

async function notify(config, text) {
  // A notice that fails must not fail the payment: the money has moved.
  try {
    await fetch(`${config.slackBaseUrl}/api/chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${config.slackToken}`, "content-type": "application/json" },
      body: JSON.stringify({ channel: "#billing", text }),
    });
  } catch {
    // reported by the missing notice, not by the payment
  }
}

async function readJson(req) {
  let text = "";
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

import { createApp } from "./app.js";

const required = ["STRIPE_BASE_URL", "STRIPE_API_KEY", "SLACK_BASE_URL", "SLACK_TOKEN"];
const missing = required.filter((name) => !process.env[name]);
if (missing.length > 0) {
  console.error(`acme-billing: set ${missing.join(", ")}`);
  process.exit(2);
}
const app = createApp({
  stripeBaseUrl: process.env.STRIPE_BASE_URL,
  stripeKey: process.env.STRIPE_API_KEY,
  slackBaseUrl: process.env.SLACK_BASE_URL,
  slackToken: process.env.SLACK_TOKEN,
});
const port = Number(process.env.PORT ?? 3000);
app.listen(port, "127.0.0.1", () => console.log(`acme-billing on http://127.0.0.1:${port}`));

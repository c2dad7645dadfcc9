/**
 * The Slack twin: Slack's Web API at its own paths (`/api/<method>`), form-encoded or JSON,
 * with Slack's habits: HTTP 200 and `{"ok": false, "error": "<code>"}` for API errors, bearer
 * tokens, cursor pagination, message `ts` values, and rate tiers (Tier 1..4 per method, and
 * chat.postMessage's one message a second per channel) answered with 429 and `Retry-After`.
 *
 * Options (`createTwin(slackTwin, { options })`):
 * - `tokens: string[]`: the only tokens accepted (default: any `xoxb-`/`xoxp-`/`xoxa-`/`xoxe-`).
 * - `rateLimits: false`: no tier or per-channel limits.
 * - `tiers: { "users.list": 1 }`: move a method to another tier.
 * - `postMessageBurst: n`: messages a channel takes at once before the 1/s limit (default 5).
 *
 * The buckets run on the virtual clock: a client that waits `Retry-After` in real time should
 * also advance the twin's clock (admin API or `twin.clock.advance`), or it is limited again.
 */
import type { Context, Hono } from "hono";
import type { RateLimitState, TwinContext, TwinDefinition } from "../../runtime/contract.js";
import { authMethods } from "./auth.js";
import { chatMethods } from "./chat.js";
import { conversationMethods } from "./conversations.js";
import { type Call, type Methods, type Params, type Result, SlackApiError } from "./method.js";
import { rateLimit } from "./rate-limits.js";
import { reactionMethods } from "./reactions.js";
import { readParams, tokenOf, tokenValid } from "./request.js";
import { initialSlackState, type SlackState } from "./state.js";
import { userMethods } from "./users.js";

export type { SlackChannel, SlackMessage, SlackState, SlackUser } from "./state.js";

const METHODS: Methods = {
  ...authMethods,
  ...userMethods,
  ...chatMethods,
  ...conversationMethods,
  ...reactionMethods,
};

function slackJson(c: Context, body: Result, status = 200, headers: Record<string, string> = {}) {
  return c.json(body, status as 200, headers);
}

function routes(app: Hono, twin: TwinContext<SlackState>): void {
  app.all("/api/:method", async (c) => {
    const method = c.req.param("method");
    let params: Params = {};
    try {
      params = await readParams(c);
    } catch (error) {
      if (error instanceof SlackApiError) return slackJson(c, { ok: false, error: error.code });
      return slackJson(c, { ok: false, error: "invalid_form_data" });
    }
    const spec = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    if (!spec) return slackJson(c, { ok: false, error: "unknown_method", req_method: method });
    const token = tokenOf(c, params);
    if (method !== "api.test") {
      if (token === undefined || token === "")
        return slackJson(c, { ok: false, error: "not_authed" });
      if (!tokenValid(token, twin.options))
        return slackJson(c, { ok: false, error: "invalid_auth" });
    }
    delete params.token;
    const call: Call = { twin, state: twin.state, params };
    const wait = rateLimit(call, method, spec);
    if (wait > 0)
      return slackJson(c, { ok: false, error: "ratelimited" }, 429, {
        "Retry-After": String(wait),
      });
    try {
      return slackJson(c, { ok: true, ...spec.run(call) });
    } catch (error) {
      if (error instanceof SlackApiError)
        return slackJson(c, { ok: false, error: error.code, ...error.extra });
      throw error;
    }
  });
}

const ERROR_CODES: Record<number, string> = {
  400: "invalid_arguments",
  401: "not_authed",
  403: "access_denied",
  404: "unknown_method",
  408: "request_timeout",
  413: "request_too_large",
  429: "ratelimited",
  500: "internal_error",
  502: "service_unavailable",
  503: "service_unavailable",
  504: "request_timeout",
};

export const slackTwin: TwinDefinition<SlackState> = {
  name: "slack",
  description:
    "Slack's Web API (auth, chat, conversations, users, reactions) with Slack's error shapes, cursor pagination and rate tiers.",
  initialState: initialSlackState,
  view: (state) => ({
    ...state,
    // By channel name as people write it, `#billing`, beside the ids.
    messages: Object.fromEntries(
      Object.entries(state.messages).map(([id, list]) => [
        `#${state.channels.find((c) => c.id === id)?.name ?? id}`,
        list,
      ]),
    ),
  }),
  routes,
  errors: {
    // Slack says nothing more than the code; the runtime's message has no place in its shape.
    error: (status) => ({ body: { ok: false, error: ERROR_CODES[status] ?? "fatal_error" } }),
    // Slack sends no rate-limit headers on ordinary answers, only Retry-After on a 429.
    rateLimitHeaders: (bucket: RateLimitState, always: boolean): Record<string, string> =>
      always ? {} : { "Retry-After": String(Math.max(1, bucket.retryAfter)) },
  },
};

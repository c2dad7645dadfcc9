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
import {
  formatTs,
  initialSlackState,
  parseTs,
  type SlackChannel,
  type SlackMessage,
  type SlackState,
  type SlackUser,
  slackId,
} from "./state.js";

export type { SlackChannel, SlackMessage, SlackState, SlackUser } from "./state.js";

type Params = Record<string, unknown>;
type Result = Record<string, unknown>;

/** An API error: HTTP 200, `ok: false`, as Slack answers them. */
class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Result = {},
  ) {
    super(code);
  }
}

/** Slack's documented per-minute budgets for each tier. */
const TIER_PER_MINUTE: Record<number, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };
/** chat.postMessage: one message a second per channel, "with short bursts" allowed. */
const POST_PER_SECOND = 1;
const DEFAULT_POST_BURST = 5;

interface Call {
  twin: TwinContext<SlackState>;
  state: SlackState;
  params: Params;
}

interface MethodSpec {
  /** Slack's rate tier; "post" is chat.postMessage's per-channel limit. */
  tier: 1 | 2 | 3 | 4 | "post";
  run(call: Call): Result;
}

// ---------------------------------------------------------------- parameters

function str(params: Params, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function bool(params: Params, key: string, fallback: boolean): boolean {
  const value = params[key];
  if (value === undefined || value === null || value === "") return fallback;
  if (typeof value === "boolean") return value;
  return value === "true" || value === "1" || value === 1;
}

function limitOf(params: Params, fallback: number, max: number): number {
  const raw = Number(params.limit);
  if (!Number.isFinite(raw) || raw <= 0) return fallback;
  return Math.min(Math.floor(raw), max);
}

function encodeCursor(kind: string, value: string): string {
  return Buffer.from(`${kind}:${value}`).toString("base64");
}

function decodeCursor(params: Params, kind: string): string | undefined {
  const cursor = str(params, "cursor");
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, "base64").toString("utf8");
  if (!decoded.startsWith(`${kind}:`)) throw new SlackApiError("invalid_cursor");
  return decoded.slice(kind.length + 1);
}

/** Slack's own list pagination: `limit` items from the cursor on, and where to go next. */
function page<T>(
  items: T[],
  params: Params,
  kind: string,
  key: (item: T) => string,
  fallback: number,
  max: number,
): { items: T[]; next_cursor: string } {
  const limit = limitOf(params, fallback, max);
  const from = decodeCursor(params, kind);
  let start = 0;
  if (from !== undefined) {
    start = items.findIndex((item) => key(item) === from);
    if (start < 0) throw new SlackApiError("invalid_cursor");
  }
  const slice = items.slice(start, start + limit);
  const next = items[start + limit];
  return { items: slice, next_cursor: next ? encodeCursor(kind, key(next)) : "" };
}

// ---------------------------------------------------------------- rendering

function renderChannel(channel: SlackChannel, state: SlackState): Result {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.is_private,
    is_group: channel.is_private,
    is_im: false,
    is_mpim: false,
    is_private: channel.is_private,
    created: channel.created,
    is_archived: channel.is_archived,
    is_general: channel.is_general,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: state.team.id,
    updated: channel.created * 1000,
    parent_conversation: null,
    creator: channel.creator,
    is_ext_shared: false,
    shared_team_ids: [state.team.id],
    pending_connected_team_ids: [],
    is_member: channel.members.includes(state.bot.user_id),
    topic: { value: channel.topic, creator: "", last_set: 0 },
    purpose: {
      value: channel.purpose,
      creator: channel.purpose ? channel.creator : "",
      last_set: channel.purpose ? channel.created : 0,
    },
    previous_names: [],
    num_members: channel.members.length,
  };
}

function renderUser(user: SlackUser, state: SlackState): Result {
  return {
    id: user.id,
    team_id: state.team.id,
    name: user.name,
    deleted: user.deleted,
    color: "9f69e7",
    real_name: user.real_name,
    tz: user.tz,
    tz_label: user.tz,
    tz_offset: 0,
    profile: {
      real_name: user.real_name,
      real_name_normalized: user.real_name,
      display_name: user.display_name,
      display_name_normalized: user.display_name,
      ...(user.email ? { email: user.email } : {}),
      ...(user.bot_id ? { bot_id: user.bot_id } : {}),
      team: state.team.id,
    },
    is_admin: user.is_admin,
    is_owner: user.is_owner,
    is_primary_owner: user.is_owner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.is_bot,
    is_app_user: false,
    updated: user.updated,
  };
}

// ---------------------------------------------------------------- lookups

function channelById(state: SlackState, params: Params, key = "channel"): SlackChannel {
  const id = str(params, key);
  const channel = id ? state.channels.find((c) => c.id === id) : undefined;
  if (!channel) throw new SlackApiError("channel_not_found");
  return channel;
}

/** chat.postMessage also takes a channel's name, with or without `#`. */
function channelByIdOrName(state: SlackState, params: Params): SlackChannel {
  const ref = str(params, "channel")?.trim();
  if (!ref) throw new SlackApiError("channel_not_found");
  const name = ref.replace(/^#/, "");
  const channel =
    state.channels.find((c) => c.id === ref) ?? state.channels.find((c) => c.name === name);
  if (!channel) throw new SlackApiError("channel_not_found");
  return channel;
}

function messagesOf(state: SlackState, channel: SlackChannel): SlackMessage[] {
  state.messages[channel.id] ??= [];
  return state.messages[channel.id] as SlackMessage[];
}

function messageAt(state: SlackState, channel: SlackChannel, ts: string | undefined) {
  if (!ts) throw new SlackApiError("message_not_found");
  const message = messagesOf(state, channel).find((m) => m.ts === ts);
  if (!message) throw new SlackApiError("message_not_found");
  return message;
}

function readable(state: SlackState, channel: SlackChannel): void {
  if (!channel.members.includes(state.bot.user_id)) throw new SlackApiError("not_in_channel");
}

/** A new `ts` from the virtual clock, always later than the last one. */
function nextTs(call: Call): string {
  const micros = Math.max(call.twin.clock.now() * 1000, call.state.lastTsMicros) + 100;
  call.state.lastTsMicros = micros;
  return formatTs(micros);
}

/** `text` and `blocks` as Slack takes them: blocks may come JSON-encoded in a form field. */
function content(params: Params): { text: string; blocks?: unknown[] } {
  let blocks = params.blocks;
  if (typeof blocks === "string" && blocks.trim() !== "") {
    try {
      blocks = JSON.parse(blocks);
    } catch {
      throw new SlackApiError("invalid_blocks_format");
    }
  }
  if (blocks !== undefined && blocks !== null && blocks !== "" && !Array.isArray(blocks))
    throw new SlackApiError("invalid_blocks_format");
  const list = Array.isArray(blocks) ? blocks : undefined;
  if (list?.some((b) => typeof b !== "object" || b === null || !("type" in b)))
    throw new SlackApiError("invalid_blocks");
  const text = str(params, "text") ?? "";
  const attachments = params.attachments;
  const hasAttachments =
    (Array.isArray(attachments) && attachments.length > 0) ||
    (typeof attachments === "string" && attachments.trim().startsWith("[") && attachments !== "[]");
  if (text.trim() === "" && !list?.length && !hasAttachments) throw new SlackApiError("no_text");
  if (text.length > 40_000) throw new SlackApiError("msg_too_long");
  return { text, ...(list?.length ? { blocks: list } : {}) };
}

function publicMessage(message: SlackMessage): Result {
  return { ...message };
}

// ---------------------------------------------------------------- methods

const CHANNEL_NAME = /^[a-z0-9_-]+$/;

const METHODS: Record<string, MethodSpec> = {
  "api.test": { tier: 4, run: ({ params }) => ({ args: params }) },

  "auth.test": {
    tier: 4,
    run: ({ state }) => ({
      url: `https://${state.team.domain}.slack.com/`,
      team: state.team.name,
      user: state.bot.name,
      team_id: state.team.id,
      user_id: state.bot.user_id,
      bot_id: state.bot.bot_id,
      is_enterprise_install: false,
    }),
  },

  "chat.postMessage": {
    tier: "post",
    run: (call) => {
      const { state, params } = call;
      const channel = channelByIdOrName(state, params);
      if (channel.is_archived) throw new SlackApiError("is_archived");
      readable(state, channel);
      const body = content(params);
      const messages = messagesOf(state, channel);
      const threadTs = str(params, "thread_ts");
      let parent: SlackMessage | undefined;
      if (threadTs) {
        const target = messages.find((m) => m.ts === threadTs);
        if (!target) throw new SlackApiError("thread_not_found");
        parent = target.thread_ts
          ? (messages.find((m) => m.ts === target.thread_ts) ?? target)
          : target;
      }
      const ts = nextTs(call);
      const message: SlackMessage = {
        type: "message",
        ts,
        user: state.bot.user_id,
        text: body.text,
        team: state.team.id,
        bot_id: state.bot.bot_id,
        app_id: state.bot.app_id,
        ...(body.blocks ? { blocks: body.blocks } : {}),
        ...(parent ? { thread_ts: parent.ts } : {}),
      };
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.reply_users = [...new Set([...(parent.reply_users ?? []), state.bot.user_id])];
        parent.latest_reply = ts;
      }
      messages.push(message);
      return { channel: channel.id, ts, message: publicMessage(message) };
    },
  },

  "chat.update": {
    tier: 3,
    run: (call) => {
      const { state, params } = call;
      const channel = channelById(state, params);
      const message = messageAt(state, channel, str(params, "ts"));
      if (message.user !== state.bot.user_id) throw new SlackApiError("cant_update_message");
      const body = content(params);
      message.text = body.text;
      if (body.blocks) message.blocks = body.blocks;
      else delete message.blocks;
      message.edited = { user: state.bot.user_id, ts: nextTs(call) };
      return {
        channel: channel.id,
        ts: message.ts,
        text: message.text,
        message: publicMessage(message),
      };
    },
  },

  "chat.delete": {
    tier: 3,
    run: ({ state, params }) => {
      const channel = channelById(state, params);
      const message = messageAt(state, channel, str(params, "ts"));
      if (message.user !== state.bot.user_id) throw new SlackApiError("cant_delete_message");
      const messages = messagesOf(state, channel);
      messages.splice(messages.indexOf(message), 1);
      if (message.thread_ts && message.thread_ts !== message.ts) {
        const parent = messages.find((m) => m.ts === message.thread_ts);
        if (parent?.reply_count) {
          parent.reply_count -= 1;
          const replies = messages.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
          parent.latest_reply = replies.at(-1)?.ts ?? parent.ts;
        }
      }
      return { channel: channel.id, ts: message.ts };
    },
  },

  "conversations.list": {
    tier: 2,
    run: ({ state, params }) => {
      const types = (str(params, "types") ?? "public_channel").split(",").map((t) => t.trim());
      const excludeArchived = bool(params, "exclude_archived", false);
      const listed = state.channels.filter(
        (c) =>
          types.includes(c.is_private ? "private_channel" : "public_channel") &&
          (!excludeArchived || !c.is_archived) &&
          (!c.is_private || c.members.includes(state.bot.user_id)),
      );
      const { items, next_cursor } = page(listed, params, "channel", (c) => c.id, 100, 1000);
      return {
        channels: items.map((c) => renderChannel(c, state)),
        response_metadata: { next_cursor },
      };
    },
  },

  "conversations.info": {
    tier: 3,
    run: ({ state, params }) => ({ channel: renderChannel(channelById(state, params), state) }),
  },

  "conversations.join": {
    tier: 3,
    run: ({ state, params }) => {
      const channel = channelById(state, params);
      if (channel.is_archived) throw new SlackApiError("is_archived");
      const already = channel.members.includes(state.bot.user_id);
      if (!already) channel.members.push(state.bot.user_id);
      return {
        channel: renderChannel(channel, state),
        ...(already ? { warning: "already_in_channel" } : {}),
      };
    },
  },

  "conversations.history": {
    tier: 3,
    run: ({ state, params }) => {
      const channel = channelById(state, params);
      readable(state, channel);
      const inclusive = bool(params, "inclusive", false);
      const oldest = parseTs(str(params, "oldest") ?? "0") ?? 0;
      const latest = parseTs(str(params, "latest") ?? "") ?? Number.POSITIVE_INFINITY;
      const from = decodeCursor(params, "next_ts");
      const fromMicros = from === undefined ? undefined : Number(from);
      if (fromMicros !== undefined && !Number.isSafeInteger(fromMicros))
        throw new SlackApiError("invalid_cursor");
      const limit = limitOf(params, 100, 999);
      const inRange = messagesOf(state, channel)
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
        .filter((m) => {
          const at = parseTs(m.ts) ?? 0;
          const afterOldest = inclusive ? at >= oldest : at > oldest;
          const beforeLatest = inclusive ? at <= latest : at < latest;
          return afterOldest && beforeLatest && (fromMicros === undefined || at <= fromMicros);
        })
        .reverse();
      const slice = inRange.slice(0, limit);
      const next = inRange[limit];
      return {
        messages: slice.map(publicMessage),
        has_more: next !== undefined,
        pin_count: 0,
        channel_actions_ts: null,
        channel_actions_count: 0,
        ...(next
          ? {
              response_metadata: { next_cursor: encodeCursor("next_ts", String(parseTs(next.ts))) },
            }
          : {}),
      };
    },
  },

  "conversations.replies": {
    tier: 3,
    run: ({ state, params }) => {
      const channel = channelById(state, params);
      readable(state, channel);
      const parent = messageAt(state, channel, str(params, "ts") ?? "");
      const root = parent.thread_ts ?? parent.ts;
      const thread = messagesOf(state, channel).filter(
        (m) => m.ts === root || m.thread_ts === root,
      );
      const { items, next_cursor } = page(thread, params, "next_ts", (m) => m.ts, 1000, 1000);
      return {
        messages: items.map(publicMessage),
        has_more: next_cursor !== "",
        ...(next_cursor ? { response_metadata: { next_cursor } } : {}),
      };
    },
  },

  "conversations.create": {
    tier: 2,
    run: ({ state, params, twin }) => {
      const name = str(params, "name") ?? "";
      if (name === "") throw new SlackApiError("invalid_name_required");
      if (name.length > 80) throw new SlackApiError("invalid_name_maxlength");
      if (/^[-_]+$/.test(name)) throw new SlackApiError("invalid_name_punctuation");
      if (!CHANNEL_NAME.test(name)) throw new SlackApiError("invalid_name_specials");
      if (state.channels.some((c) => c.name === name)) throw new SlackApiError("name_taken");
      const channel: SlackChannel = {
        id: slackId(twin.random, bool(params, "is_private", false) ? "G" : "C"),
        name,
        created: twin.clock.seconds(),
        creator: state.bot.user_id,
        is_private: bool(params, "is_private", false),
        is_archived: false,
        is_general: false,
        members: [state.bot.user_id],
        topic: "",
        purpose: "",
      };
      state.channels.push(channel);
      state.messages[channel.id] = [];
      return { channel: renderChannel(channel, state) };
    },
  },

  "users.list": {
    tier: 2,
    run: ({ state, params, twin }) => {
      const { items, next_cursor } = page(state.users, params, "user", (u) => u.id, 1000, 1000);
      return {
        members: items.map((u) => renderUser(u, state)),
        cache_ts: twin.clock.seconds(),
        response_metadata: { next_cursor },
      };
    },
  },

  "users.info": {
    tier: 4,
    run: ({ state, params }) => {
      const id = str(params, "user");
      const user = state.users.find((u) => u.id === id);
      if (!user) throw new SlackApiError("user_not_found");
      return { user: renderUser(user, state) };
    },
  },

  "reactions.add": {
    tier: 3,
    run: ({ state, params }) => {
      const channel = channelById(state, params);
      const ts = str(params, "timestamp");
      if (!ts) throw new SlackApiError("no_item_specified");
      const message = messageAt(state, channel, ts);
      const name = (str(params, "name") ?? "").replace(/^:|:$/g, "");
      if (!/^[a-z0-9_+'-]+$/.test(name)) throw new SlackApiError("invalid_name");
      message.reactions ??= [];
      let reaction = message.reactions.find((r) => r.name === name);
      if (reaction?.users.includes(state.bot.user_id)) throw new SlackApiError("already_reacted");
      if (!reaction) {
        if (message.reactions.length >= 23) throw new SlackApiError("too_many_emoji");
        reaction = { name, users: [], count: 0 };
        message.reactions.push(reaction);
      }
      reaction.users.push(state.bot.user_id);
      reaction.count = reaction.users.length;
      return {};
    },
  },
};

// ---------------------------------------------------------------- the request pipeline

async function readParams(c: Context): Promise<Params> {
  const params: Params = Object.fromEntries(new URL(c.req.url).searchParams);
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const form = await c.req.parseBody();
    for (const [key, value] of Object.entries(form))
      if (typeof value === "string") params[key] = value;
    return params;
  }
  const text = c.req.method === "GET" || c.req.method === "HEAD" ? "" : await c.req.text();
  if (text.trim() === "") return params;
  if (type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SlackApiError("invalid_json");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new SlackApiError("json_not_object");
    return { ...params, ...(parsed as Params) };
  }
  if (
    type !== "" &&
    !type.startsWith("application/x-www-form-urlencoded") &&
    !type.startsWith("text/plain")
  )
    throw new SlackApiError("invalid_post_type");
  for (const [key, value] of new URLSearchParams(text)) params[key] = value;
  return params;
}

function tokenOf(c: Context, params: Params): string | undefined {
  const header = c.req.header("authorization");
  if (header) {
    // A header that is not a bearer token is a credential Slack cannot read: invalid_auth.
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    return match?.[1] ?? "malformed";
  }
  return str(params, "token");
}

function tokenValid(token: string, options: Record<string, unknown>): boolean {
  const allowed = options.tokens;
  if (Array.isArray(allowed)) return allowed.includes(token);
  return /^xox[abpe]-[A-Za-z0-9-]+$/.test(token);
}

/**
 * Takes one request from a token bucket on the virtual clock; returns the seconds to wait
 * when it is empty, or 0 when the request may go.
 */
function take(call: Call, key: string, capacity: number, perSecond: number): number {
  const now = call.twin.clock.now();
  const bucket = call.state.buckets[key] ?? { tokens: capacity, at: now };
  bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
  bucket.at = now;
  call.state.buckets[key] = bucket;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
}

function rateLimit(call: Call, method: string, spec: MethodSpec): number {
  const options = call.twin.options;
  if (options.rateLimits === false) return 0;
  if (spec.tier === "post") {
    // The channel bucket only applies to a channel that exists; errors are not throttled.
    const ref = str(call.params, "channel")?.replace(/^#/, "");
    const channel = call.state.channels.find((c) => c.id === ref || c.name === ref);
    if (!channel) return 0;
    const burst =
      typeof options.postMessageBurst === "number" ? options.postMessageBurst : DEFAULT_POST_BURST;
    return take(call, `chat.postMessage:${channel.id}`, burst, POST_PER_SECOND);
  }
  const tiers = (options.tiers ?? {}) as Record<string, number>;
  const tier = tiers[method] ?? spec.tier;
  const perMinute = TIER_PER_MINUTE[tier] ?? TIER_PER_MINUTE[3] ?? 50;
  return take(call, method, perMinute, perMinute / 60);
}

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
  routes,
  errors: {
    // Slack says nothing more than the code; the runtime's message has no place in its shape.
    error: (status) => ({ body: { ok: false, error: ERROR_CODES[status] ?? "fatal_error" } }),
    // Slack sends no rate-limit headers on ordinary answers, only Retry-After on a 429.
    rateLimitHeaders: (bucket: RateLimitState, always: boolean): Record<string, string> =>
      always ? {} : { "Retry-After": String(Math.max(1, bucket.retryAfter)) },
  },
};

/** `chat.postMessage` (threads included), `chat.update` and `chat.delete`. */
import { channelById, channelByIdOrName, messageAt, messagesOf, readable } from "./lookups.js";
import { type Call, type Methods, type Params, SlackApiError } from "./method.js";
import { str } from "./params.js";
import { publicMessage } from "./render.js";
import { formatTs, type SlackMessage } from "./state.js";

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

export const chatMethods: Methods = {
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
};

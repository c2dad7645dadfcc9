/** `conversations.*`: list, info, join, history, replies and create. */
import { channelById, messageAt, messagesOf, readable } from "./lookups.js";
import { type Methods, SlackApiError } from "./method.js";
import { bool, decodeCursor, encodeCursor, limitOf, page, str } from "./params.js";
import { publicMessage, renderChannel } from "./render.js";
import { parseTs, type SlackChannel, slackId } from "./state.js";

const CHANNEL_NAME = /^[a-z0-9_-]+$/;

export const conversationMethods: Methods = {
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
};

/** Finding a method's channel and message, and the bot's membership it needs to read. */
import { type Params, SlackApiError } from "./method.js";
import { str } from "./params.js";
import type { SlackChannel, SlackMessage, SlackState } from "./state.js";

export function channelById(state: SlackState, params: Params, key = "channel"): SlackChannel {
  const id = str(params, key);
  const channel = id ? state.channels.find((c) => c.id === id) : undefined;
  if (!channel) throw new SlackApiError("channel_not_found");
  return channel;
}

/** chat.postMessage also takes a channel's name, with or without `#`. */
export function channelByIdOrName(state: SlackState, params: Params): SlackChannel {
  const ref = str(params, "channel")?.trim();
  if (!ref) throw new SlackApiError("channel_not_found");
  const name = ref.replace(/^#/, "");
  const channel =
    state.channels.find((c) => c.id === ref) ?? state.channels.find((c) => c.name === name);
  if (!channel) throw new SlackApiError("channel_not_found");
  return channel;
}

export function messagesOf(state: SlackState, channel: SlackChannel): SlackMessage[] {
  state.messages[channel.id] ??= [];
  return state.messages[channel.id] as SlackMessage[];
}

export function messageAt(state: SlackState, channel: SlackChannel, ts: string | undefined) {
  if (!ts) throw new SlackApiError("message_not_found");
  const message = messagesOf(state, channel).find((m) => m.ts === ts);
  if (!message) throw new SlackApiError("message_not_found");
  return message;
}

export function readable(state: SlackState, channel: SlackChannel): void {
  if (!channel.members.includes(state.bot.user_id)) throw new SlackApiError("not_in_channel");
}

/** `reactions.add`. */
import { channelById, messageAt } from "./lookups.js";
import { type Methods, SlackApiError } from "./method.js";
import { str } from "./params.js";

export const reactionMethods: Methods = {
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

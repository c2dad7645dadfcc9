/** `users.list` and `users.info`. */
import { type Methods, SlackApiError } from "./method.js";
import { page, str } from "./params.js";
import { renderUser } from "./render.js";

export const userMethods: Methods = {
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
};

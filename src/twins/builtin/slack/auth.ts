/** `api.test` (no token needed) and `auth.test`: who the token is. */
import type { Methods } from "./method.js";

export const authMethods: Methods = {
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
};

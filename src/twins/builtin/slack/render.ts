/** Channels, users and messages as the Web API writes them. */
import type { Result } from "./method.js";
import type { SlackChannel, SlackMessage, SlackState, SlackUser } from "./state.js";

export function renderChannel(channel: SlackChannel, state: SlackState): Result {
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

export function renderUser(user: SlackUser, state: SlackState): Result {
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

export function publicMessage(message: SlackMessage): Result {
  return { ...message };
}

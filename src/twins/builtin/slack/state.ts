/**
 * The Slack twin's state: one workspace, its users, channels and messages, and the twin's own
 * rate-limit buckets (so a snapshot or a reset takes them along). Plain JSON only.
 */
import type { SeededRandom, TwinClock } from "../../runtime/contract.js";

export interface SlackUser {
  id: string;
  name: string;
  real_name: string;
  display_name: string;
  email?: string;
  is_bot: boolean;
  is_admin: boolean;
  is_owner: boolean;
  deleted: boolean;
  tz: string;
  updated: number;
  bot_id?: string;
}

export interface SlackChannel {
  id: string;
  name: string;
  created: number;
  creator: string;
  is_private: boolean;
  is_archived: boolean;
  is_general: boolean;
  members: string[];
  topic: string;
  purpose: string;
}

export interface SlackReaction {
  name: string;
  users: string[];
  count: number;
}

export interface SlackMessage {
  type: "message";
  ts: string;
  user: string;
  text: string;
  team: string;
  bot_id?: string;
  app_id?: string;
  blocks?: unknown[];
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  reactions?: SlackReaction[];
}

export interface RateBucket {
  tokens: number;
  /** Virtual clock, epoch ms. */
  at: number;
}

export interface SlackState {
  team: { id: string; name: string; domain: string };
  bot: { user_id: string; bot_id: string; app_id: string; name: string };
  users: SlackUser[];
  channels: SlackChannel[];
  /** Channel id -> its messages (thread replies included), oldest first. */
  messages: Record<string, SlackMessage[]>;
  /** The last `ts` handed out, in microseconds: every new one is later. */
  lastTsMicros: number;
  /** The twin's own rate limits (Slack's tiers), keyed by method or `chat.postMessage:<channel>`. */
  buckets: Record<string, RateBucket>;
}

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Slack ids: a type letter and ten upper-case characters, e.g. `C05QX2B7N1K`. */
export function slackId(random: SeededRandom, prefix: string): string {
  let out = prefix;
  for (let i = 0; i < 10; i++) out += ID_ALPHABET[random.int(0, ID_ALPHABET.length - 1)];
  return out;
}

export function formatTs(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
}

/** `"1767225600.000100"` (or a bare number) -> microseconds; undefined when it is not a ts. */
export function parseTs(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return Math.round(value * 1e6);
  if (typeof value !== "string") return undefined;
  const match = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * 1e6 + Number((match[2] ?? "").padEnd(6, "0"));
}

const SEED_USERS: Array<Pick<SlackUser, "name" | "real_name" | "is_admin" | "is_owner" | "tz">> = [
  { name: "ada", real_name: "Ada Lovelace", is_admin: true, is_owner: true, tz: "Europe/London" },
  {
    name: "grace",
    real_name: "Grace Hopper",
    is_admin: true,
    is_owner: false,
    tz: "America/New_York",
  },
  { name: "alan", real_name: "Alan Turing", is_admin: false, is_owner: false, tz: "Europe/London" },
  {
    name: "katherine",
    real_name: "Katherine Johnson",
    is_admin: false,
    is_owner: false,
    tz: "America/Chicago",
  },
  {
    name: "linus",
    real_name: "Linus Torvalds",
    is_admin: false,
    is_owner: false,
    tz: "America/Los_Angeles",
  },
];

export function initialSlackState(random: SeededRandom, clock: TwinClock): SlackState {
  const now = clock.seconds();
  const team = { id: slackId(random, "T"), name: "Twin Workspace", domain: "twin-workspace" };
  const users: SlackUser[] = SEED_USERS.map((u, i) => ({
    ...u,
    id: slackId(random, "U"),
    display_name: u.name,
    email: `${u.name}@twin-workspace.example`,
    is_bot: false,
    deleted: false,
    updated: now - 86_400 * (30 - i),
  }));
  const bot = {
    user_id: slackId(random, "U"),
    bot_id: slackId(random, "B"),
    app_id: slackId(random, "A"),
    name: "factory-bot",
  };
  users.push({
    id: bot.user_id,
    name: bot.name,
    real_name: "Factory Bot",
    display_name: "",
    is_bot: true,
    is_admin: false,
    is_owner: false,
    deleted: false,
    tz: "America/Los_Angeles",
    updated: now - 86_400,
    bot_id: bot.bot_id,
  });
  const humans = users.filter((u) => !u.is_bot).map((u) => u.id);
  const owner = humans[0] ?? bot.user_id;
  const channel = (
    name: string,
    purpose: string,
    withBot: boolean,
    ageDays: number,
  ): SlackChannel => ({
    id: slackId(random, "C"),
    name,
    created: now - 86_400 * ageDays,
    creator: owner,
    is_private: false,
    is_archived: false,
    is_general: name === "general",
    members: withBot ? [...humans, bot.user_id] : [...humans],
    topic: "",
    purpose,
  });
  const channels = [
    channel(
      "general",
      "This channel is for workspace-wide communication and announcements.",
      true,
      400,
    ),
    channel("billing", "Invoices, refunds and payment alerts.", true, 200),
    channel("random", "Non-work banter and water cooler conversation.", false, 400),
  ];
  // A little history, written by people (so the bot cannot edit it), each a minute apart.
  const start = (now - 3_600) * 1e6;
  const lines: Array<[number, number, string]> = [
    [0, 0, "Welcome to the workspace!"],
    [0, 1, "Morning all, standup in 10."],
    [1, 2, "Invoice INV-1042 was paid."],
    [1, 3, "Refund requested for order 5521."],
  ];
  const messages: Record<string, SlackMessage[]> = {};
  for (const c of channels) messages[c.id] = [];
  lines.forEach(([channelIndex, userIndex, text], i) => {
    const c = channels[channelIndex];
    const user = humans[userIndex];
    if (!c || !user) return;
    messages[c.id]?.push({
      type: "message",
      ts: formatTs(start + i * 60 * 1e6),
      user,
      text,
      team: team.id,
    });
  });
  return {
    team,
    bot,
    users,
    channels,
    messages,
    lastTsMicros: start + lines.length * 60 * 1e6,
    buckets: {},
  };
}

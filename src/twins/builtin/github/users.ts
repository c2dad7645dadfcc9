/** The authenticated user, other users by login, and `/rate_limit`. */
import type { GithubApi } from "./api.js";
import { json, notFound } from "./http.js";
import { privateUser } from "./render/users.js";

export function userRoutes(api: GithubApi): void {
  const { twin, urls, limit, window, get } = api;

  get("/user", (_c, user) => json(200, privateUser(urls, twin.state, user)));

  get("/users/:username", (c) => {
    const login = Object.keys(twin.state.users).find(
      (name) => name.toLowerCase() === (c.req.param("username") ?? "").toLowerCase(),
    );
    const user = login ? twin.state.users[login] : undefined;
    if (!user) throw notFound();
    const full = privateUser(urls, twin.state, user);
    for (const key of [
      "private_gists",
      "total_private_repos",
      "owned_private_repos",
      "disk_usage",
      "collaborators",
      "two_factor_authentication",
      "notification_email",
    ])
      delete full[key];
    return json(200, { ...full, user_view_type: "public" });
  });

  get("/rate_limit", (_c, user) => {
    const budget = twin.state.budgets[user.login] ?? { used: 0, reset_at: 0 };
    const core = {
      limit,
      used: budget.used,
      remaining: Math.max(0, limit - budget.used),
      // Virtual epoch seconds, so the journal stays deterministic; x-ratelimit-reset is real.
      reset: budget.reset_at || twin.clock.seconds() + window,
      resource: "core",
    };
    const search = { limit: 30, used: 0, remaining: 30, reset: core.reset, resource: "search" };
    const graphql = { limit, used: 0, remaining: limit, reset: core.reset, resource: "graphql" };
    return json(200, { resources: { core, search, graphql }, rate: core });
  });
}

/**
 * Auth and the request budget, on every request (unknown routes included): a `token`/`bearer`
 * header names a user (created on first use for `options.tokens`), each user (and anonymous)
 * has a budget per window, and every answer carries the `x-ratelimit-*` headers.
 */
import type { Hono } from "hono";
import type { TwinContext } from "../../index.js";
import type { GithubSettings } from "./api.js";
import { GithubError, json, RATE_LIMIT_DOCS, rateLimitHeaders } from "./http.js";
import { type GithubState, makeUser, type UserRecord } from "./state.js";

/** Registers the middleware; returns the lookup of the user it found for a request. */
export function authenticate(
  app: Hono,
  twin: TwinContext<GithubState>,
  { limit, window }: GithubSettings,
): (request: Request) => UserRecord | undefined {
  const users = new WeakMap<Request, UserRecord>();
  app.use("*", async (c, next) => {
    const state = twin.state;
    const header = c.req.header("authorization") ?? "";
    const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
    const token = match?.[1];
    let user: UserRecord | undefined;
    if (token) {
      const extra = twin.options.tokens as Record<string, unknown> | undefined;
      const login =
        state.tokens[token] ?? (typeof extra?.[token] === "string" ? extra[token] : undefined);
      if (login) {
        if (!state.users[login])
          state.users[login] = makeUser(twin.random, twin.clock, login, null);
        state.tokens[token] = login;
        user = state.users[login];
      }
    }
    const key = user?.login ?? "anonymous";
    const budgetLimit = user ? limit : 60;
    const seconds = twin.clock.seconds();
    let budget = state.budgets[key];
    if (!budget || budget.reset_at <= seconds) {
      budget = { used: 0, reset_at: seconds + window };
      state.budgets[key] = budget;
    }
    const counted = c.req.path !== "/rate_limit";
    const exhausted = counted && budget.used >= budgetLimit;
    if (counted && !exhausted) budget.used++;
    const headers = {
      ...rateLimitHeaders(budgetLimit, budgetLimit - budget.used, budget.reset_at - seconds),
      "x-github-api-version-selected": "2022-11-28",
      "x-github-media-type": "github.v3; format=json",
    };
    let response: Response | undefined;
    if (!user)
      response = json(
        401,
        new GithubError(401, header ? "Bad credentials" : "Requires authentication").body(),
      );
    else if (exhausted)
      response = json(
        403,
        new GithubError(
          403,
          `API rate limit exceeded for user ID ${user.id}.`,
          RATE_LIMIT_DOCS,
        ).body(),
      );
    if (response) {
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    }
    users.set(c.req.raw, user as UserRecord);
    await next();
    c.res = new Response(c.res.body, c.res);
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
    return undefined;
  });
  return (request) => users.get(request);
}

/**
 * The `github` twin: GitHub's REST API at the root (Octokit's `baseUrl`), token auth,
 * repositories with real git content (contents, branches, refs), pull requests that merge
 * with a three-way merge of whole files, issues and comments, check runs, `Link` pagination,
 * a per-user request budget in `x-ratelimit-*` headers, and signed webhooks.
 *
 * Options (`createTwin(githubTwin, { options })`):
 * - `webhookUrl`, `webhookSecret`: deliveries of `push`, `pull_request`, `issues`,
 *   `issue_comment` and `check_run`; `webhookAttempts` (3), `webhookBackoffMs` (50).
 * - `tokens`: `{ "<token>": "<login>" }`, users created on first use, beside the built-in
 *   `ghp_octocat` (octocat) and `ghp_hubot` (hubot).
 * - `rateLimit` (5000) requests per `rateLimitWindowSeconds` (3600, virtual clock) per user.
 * - `apiUrl` (https://api.github.com), `htmlUrl` (https://github.com): the URLs in bodies.
 */
import type { Hono } from "hono";
import type { TwinContext, TwinDefinition } from "../../index.js";
import { createApi, settingsOf } from "./api.js";
import { authenticate } from "./auth.js";
import { branchRoutes } from "./branches.js";
import { checkRunRoutes } from "./check-runs.js";
import { contentRoutes } from "./contents.js";
import { DOCS, errors } from "./http.js";
import { issueRoutes } from "./issues.js";
import { pullRoutes } from "./pulls.js";
import { repoRoutes } from "./repos.js";
import { type GithubState, initialState } from "./state.js";
import { userRoutes } from "./users.js";

export type { GithubState } from "./state.js";
export { signature as webhookSignature } from "./webhooks.js";

function registerRoutes(app: Hono, twin: TwinContext<GithubState>): void {
  const settings = settingsOf(twin.options);
  const userOf = authenticate(app, twin, settings);
  const api = createApi(app, twin, settings, userOf);
  userRoutes(api);
  repoRoutes(api);
  contentRoutes(api);
  branchRoutes(api);
  issueRoutes(api);
  pullRoutes(api);
  checkRunRoutes(api);
}

export const githubTwin: TwinDefinition<GithubState> = {
  name: "github",
  description:
    "GitHub's REST API: repositories with git content, branches, pull requests that merge, issues, comments, check runs, Link pagination, rate-limit headers and signed webhooks",
  initialState,
  routes: registerRoutes,
  errors,
};

export { DOCS as GITHUB_DOCS_URL };

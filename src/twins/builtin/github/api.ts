/**
 * What the github twin's route modules share: the twin, the URLs its bodies use, its request
 * budget, and `get`/`post`/`put`/`patch`/`del`, which register a handler that runs for an
 * authenticated user and answers a thrown `GithubError` in GitHub's shape.
 */
import type { Context, Hono } from "hono";
import type { TwinContext } from "../../index.js";
import { GithubError, json, notFound } from "./http.js";
import type { Urls } from "./render/urls.js";
import { type GithubState, isoTime, type RepoRecord, type UserRecord } from "./state.js";

export type Handler = (c: Context, user: UserRecord) => Promise<Response> | Response;
type Register = (path: string, handler: Handler) => void;

/** The settings read from the twin's options once, when its routes are registered. */
export interface GithubSettings {
  urls: Urls;
  /** Requests per user per window (5000). */
  limit: number;
  /** The budget's window in virtual seconds (3600). */
  window: number;
}

export interface GithubApi extends GithubSettings {
  twin: TwinContext<GithubState>;
  /** The virtual clock's time, as GitHub writes timestamps. */
  now(): string;
  get: Register;
  post: Register;
  put: Register;
  patch: Register;
  del: Register;
}

export function settingsOf(options: Record<string, unknown>): GithubSettings {
  return {
    urls: {
      api: stringOption(options.apiUrl, "https://api.github.com").replace(/\/$/, ""),
      html: stringOption(options.htmlUrl, "https://github.com").replace(/\/$/, ""),
    },
    limit: positiveOption(options.rateLimit, 5000),
    window: positiveOption(options.rateLimitWindowSeconds, 3600),
  };
}

/** The shared context; `userOf` gives the user the auth middleware found for a request. */
export function createApi(
  app: Hono,
  twin: TwinContext<GithubState>,
  settings: GithubSettings,
  userOf: (request: Request) => UserRecord | undefined,
): GithubApi {
  const wrap =
    (handler: Handler) =>
    async (c: Context): Promise<Response> => {
      try {
        const user = userOf(c.req.raw);
        if (!user) throw new GithubError(401, "Requires authentication");
        return await handler(c, user);
      } catch (error) {
        if (error instanceof GithubError) return json(error.status, error.body(), error.headers);
        throw error;
      }
    };
  return {
    ...settings,
    twin,
    now: () => isoTime(twin.clock),
    get: (path, handler) => {
      app.get(path, wrap(handler));
    },
    post: (path, handler) => {
      app.post(path, wrap(handler));
    },
    put: (path, handler) => {
      app.put(path, wrap(handler));
    },
    patch: (path, handler) => {
      app.patch(path, wrap(handler));
    },
    del: (path, handler) => {
      app.delete(path, wrap(handler));
    },
  };
}

export const canPush = (repo: RepoRecord, user: UserRecord) =>
  repo.owner === user.login || repo.collaborators.includes(user.login);

/** The repository of `/repos/:owner/:repo`: 404 when hidden from `user`, 403 without push. */
export function repoOf(api: GithubApi, c: Context, user: UserRecord, push = false): RepoRecord {
  const key = `${c.req.param("owner")}/${c.req.param("repo")}`.toLowerCase();
  const repo = api.twin.state.repos[key];
  if (!repo || (repo.private && !canPush(repo, user))) throw notFound();
  if (push && !canPush(repo, user))
    throw new GithubError(403, "Resource not accessible by personal access token");
  return repo;
}

function stringOption(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

function positiveOption(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0
    ? Math.floor(value)
    : fallback;
}

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
import type { Context, Hono } from "hono";
import type { TwinContext, TwinDefinition } from "../../index.js";
import {
  check,
  DOCS,
  errors,
  GithubError,
  notFound,
  paginate,
  RATE_LIMIT_DOCS,
  rateLimitHeaders,
  readJson,
  validationFailed,
} from "./http.js";
import {
  branch,
  checkRun,
  comment,
  contentDir,
  contentFile,
  gitCommit,
  gitRef,
  issue,
  privateUser,
  pullHeadSha,
  pullRequest,
  repository,
  restCommit,
  shortBranch,
  simpleUser,
  type Urls,
} from "./render.js";
import {
  ancestors,
  blobSha,
  type CheckRunRecord,
  type CommitRecord,
  changedPaths,
  type GithubState,
  type GitUser,
  type IssueRecord,
  initialState,
  isoTime,
  lineStats,
  makeUser,
  mergeBase,
  newId,
  nodeId,
  type PullRecord,
  type RepoRecord,
  threeWayMerge,
  treeSha,
  type UserRecord,
} from "./state.js";
import { deliver } from "./webhooks.js";

export type { GithubState } from "./state.js";
export { signature as webhookSignature } from "./webhooks.js";

type Handler = (c: Context, user: UserRecord) => Promise<Response> | Response;

const CHECK_STATUSES = ["queued", "in_progress", "completed", "waiting", "requested", "pending"];
const CHECK_CONCLUSIONS = [
  "success",
  "failure",
  "neutral",
  "cancelled",
  "skipped",
  "timed_out",
  "action_required",
];

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

function registerRoutes(app: Hono, twin: TwinContext<GithubState>): void {
  const urls: Urls = {
    api: stringOption(twin.options.apiUrl, "https://api.github.com").replace(/\/$/, ""),
    html: stringOption(twin.options.htmlUrl, "https://github.com").replace(/\/$/, ""),
  };
  const limit = positiveOption(twin.options.rateLimit, 5000);
  const window = positiveOption(twin.options.rateLimitWindowSeconds, 3600);
  const users = new WeakMap<Request, UserRecord>();
  const now = () => isoTime(twin.clock);

  // Auth and the request budget, on every request (unknown routes included).
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

  const wrap =
    (handler: Handler) =>
    async (c: Context): Promise<Response> => {
      try {
        const user = users.get(c.req.raw);
        if (!user) throw new GithubError(401, "Requires authentication");
        return await handler(c, user);
      } catch (error) {
        if (error instanceof GithubError) return json(error.status, error.body(), error.headers);
        throw error;
      }
    };

  const get = (path: string, handler: Handler) => app.get(path, wrap(handler));
  const post = (path: string, handler: Handler) => app.post(path, wrap(handler));
  const put = (path: string, handler: Handler) => app.put(path, wrap(handler));
  const patch = (path: string, handler: Handler) => app.patch(path, wrap(handler));
  const del = (path: string, handler: Handler) => app.delete(path, wrap(handler));

  const canPush = (repo: RepoRecord, user: UserRecord) =>
    repo.owner === user.login || repo.collaborators.includes(user.login);

  const repoOf = (c: Context, user: UserRecord, push = false): RepoRecord => {
    const key = `${c.req.param("owner")}/${c.req.param("repo")}`.toLowerCase();
    const repo = twin.state.repos[key];
    if (!repo || (repo.private && !canPush(repo, user))) throw notFound();
    if (push && !canPush(repo, user))
      throw new GithubError(403, "Resource not accessible by personal access token");
    return repo;
  };

  const numberParam = (c: Context, name: string): number => {
    const raw = c.req.param(name) ?? "";
    if (!/^\d{1,9}$/.test(raw)) throw notFound();
    return Number(raw);
  };

  const withLink = (status: number, body: unknown, link: string | undefined) =>
    json(status, body, link ? { link } : {});

  const emit = (event: string, repo: RepoRecord, user: UserRecord, payload: object) => {
    const state = twin.state;
    if (typeof twin.options.webhookUrl !== "string") return;
    state.deliveries++;
    deliver(twin, state.deliveries, event, {
      ...payload,
      repository: repository(urls, state, repo),
      sender: simpleUser(urls, user),
    });
  };

  const gitUser = (user: UserRecord, given: unknown): GitUser => {
    const person = (given ?? {}) as Record<string, unknown>;
    return {
      name: typeof person.name === "string" ? person.name : (user.name ?? user.login),
      email: typeof person.email === "string" ? person.email : (user.email ?? ""),
      date: typeof person.date === "string" ? person.date : now(),
    };
  };

  const makeCommit = (
    repo: RepoRecord,
    user: UserRecord,
    parents: string[],
    tree: Record<string, string>,
    message: string,
    body: Record<string, unknown> = {},
  ): CommitRecord => {
    const committer = gitUser(user, body.committer);
    const commit: CommitRecord = {
      sha: twin.random.hex(20),
      node_id: nodeId(twin.random, "C"),
      message,
      tree,
      parents,
      author: body.author ? gitUser(user, body.author) : committer,
      committer,
      by: user.login,
    };
    repo.commits[commit.sha] = commit;
    return commit;
  };

  /** Moves (or creates, or deletes with `after` undefined) a branch, with its push event. */
  const moveBranch = (
    repo: RepoRecord,
    user: UserRecord,
    name: string,
    after: string | undefined,
    forced = false,
  ) => {
    const before = repo.branches[name];
    if (after === undefined) delete repo.branches[name];
    else repo.branches[name] = after;
    repo.pushed_at = now();
    repo.updated_at = repo.pushed_at;
    const zero = "0".repeat(40);
    const fresh = after ? newCommits(repo, after, before) : [];
    const commitJson = (commit: CommitRecord) => ({
      id: commit.sha,
      tree_id: treeSha(commit.tree),
      distinct: true,
      message: commit.message,
      timestamp: commit.committer.date,
      url: `${urls.html}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
      author: { ...commit.author, username: commit.by },
      committer: { ...commit.committer, username: commit.by },
      ...fileChanges(repo.commits[commit.parents[0] ?? ""]?.tree ?? {}, commit.tree),
    });
    emit("push", repo, user, {
      ref: `refs/heads/${name}`,
      before: before ?? zero,
      after: after ?? zero,
      created: before === undefined,
      deleted: after === undefined,
      forced,
      base_ref: null,
      compare: `${urls.html}/${repo.owner}/${repo.name}/compare/${(before ?? zero).slice(0, 12)}...${(after ?? zero).slice(0, 12)}`,
      commits: fresh.map(commitJson),
      head_commit: after && repo.commits[after] ? commitJson(repo.commits[after]) : null,
      pusher: { name: user.login, email: user.email },
    });
  };

  /** Commits reachable from `after` and not from `before`, oldest first (at most 20). */
  const newCommits = (repo: RepoRecord, after: string, before: string | undefined) => {
    const old = before ? ancestors(repo, before) : new Set<string>();
    const fresh = [...ancestors(repo, after)]
      .filter((sha) => !old.has(sha))
      .map((sha) => repo.commits[sha])
      .filter((commit): commit is CommitRecord => commit !== undefined);
    return fresh.reverse().slice(-20);
  };

  /** A branch name, `heads/x`, `refs/heads/x`, or a (prefix of a) commit sha → commit sha. */
  const resolve = (repo: RepoRecord, ref: string): string | undefined => {
    const name = ref.replace(/^refs\//, "").replace(/^heads\//, "");
    if (repo.branches[name]) return repo.branches[name];
    if (repo.commits[ref]) return ref;
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const found = Object.keys(repo.commits).filter((sha) => sha.startsWith(ref));
      if (found.length === 1) return found[0];
    }
    return undefined;
  };

  // --- users and rate limit -------------------------------------------------------------

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

  // --- repositories ---------------------------------------------------------------------

  post("/user/repos", async (c, user) => {
    const body = await readJson(c);
    check(
      body,
      {
        name: "string",
        description: "string|null",
        homepage: "string|null",
        private: "boolean",
        auto_init: "boolean",
        has_issues: "boolean",
        has_projects: "boolean",
        has_wiki: "boolean",
        visibility: "string",
      },
      ["name"],
    );
    const name = (body.name as string).trim().replace(/[^A-Za-z0-9._-]/g, "-");
    if (name === "" || name === "." || name === "..")
      throw validationFailed([{ resource: "Repository", code: "missing_field", field: "name" }]);
    const state = twin.state;
    const key = `${user.login}/${name}`.toLowerCase();
    if (state.repos[key])
      throw validationFailed([
        {
          resource: "Repository",
          code: "custom",
          field: "name",
          message: "name already exists on this account",
        },
      ]);
    const created = now();
    const repo: RepoRecord = {
      id: newId(twin.random),
      node_id: `R_kgDO${twin.random.id("", 8)}`,
      owner: user.login,
      name,
      description: (body.description as string | null | undefined) ?? null,
      homepage: (body.homepage as string | null | undefined) ?? null,
      private: body.private === true || body.visibility === "private",
      default_branch: "main",
      has_issues: body.has_issues !== false,
      has_projects: body.has_projects !== false,
      has_wiki: body.has_wiki !== false,
      created_at: created,
      updated_at: created,
      pushed_at: created,
      collaborators: [],
      branches: {},
      commits: {},
      issues: {},
      pulls: {},
      comments: [],
      check_runs: [],
      check_suites: {},
      next_number: 1,
    };
    state.repos[key] = repo;
    if (body.auto_init === true) {
      const readme = `# ${name}\n${repo.description ? `\n${repo.description}\n` : ""}`;
      const tree = { "README.md": Buffer.from(readme).toString("base64") };
      repo.branches.main = makeCommit(repo, user, [], tree, "Initial commit").sha;
    }
    return json(201, repository(urls, state, repo, { full: true, viewer: user.login }));
  });

  get("/user/repos", (c, user) => {
    const state = twin.state;
    const type = c.req.query("type") ?? "all";
    const visibility = c.req.query("visibility") ?? "all";
    const sort = c.req.query("sort") ?? "full_name";
    const direction = c.req.query("direction") ?? (sort === "full_name" ? "asc" : "desc");
    let repos = Object.values(state.repos).filter((repo) =>
      type === "owner" ? repo.owner === user.login : canPush(repo, user),
    );
    if (visibility === "public") repos = repos.filter((repo) => !repo.private);
    if (visibility === "private") repos = repos.filter((repo) => repo.private);
    const keyOf = (repo: RepoRecord) =>
      sort === "created"
        ? `${repo.created_at}\0${repo.id}`
        : sort === "updated"
          ? `${repo.updated_at}\0${repo.id}`
          : sort === "pushed"
            ? `${repo.pushed_at}\0${repo.id}`
            : `${repo.owner}/${repo.name}`.toLowerCase();
    repos.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    if (direction === "desc") repos.reverse();
    const { page, link } = paginate(c, repos);
    return withLink(
      200,
      page.map((repo) => repository(urls, state, repo, { viewer: user.login })),
      link,
    );
  });

  get("/repos/:owner/:repo", (c, user) =>
    json(200, repository(urls, twin.state, repoOf(c, user), { full: true, viewer: user.login })),
  );

  del("/repos/:owner/:repo", (c, user) => {
    const repo = repoOf(c, user);
    if (repo.owner !== user.login)
      throw new GithubError(403, "Must have admin rights to Repository.");
    delete twin.state.repos[`${repo.owner}/${repo.name}`.toLowerCase()];
    return json(204, null);
  });

  // --- contents -------------------------------------------------------------------------

  const getContents = (c: Context, user: UserRecord) => {
    const repo = repoOf(c, user);
    const path = (c.req.param("path") ?? "").replace(/^\/+|\/+$/g, "");
    if (Object.keys(repo.branches).length === 0)
      throw new GithubError(404, "This repository is empty.");
    const ref = c.req.query("ref") || repo.default_branch;
    const sha = resolve(repo, ref);
    const commit = sha ? repo.commits[sha] : undefined;
    if (!commit) throw new GithubError(404, `No commit found for the ref ${ref}`);
    const file = path === "" ? undefined : commit.tree[path];
    if (file !== undefined) return json(200, contentFile(urls, repo, path, ref, file, true));
    const prefix = path === "" ? "" : `${path}/`;
    const children = new Map<string, Record<string, unknown>>();
    for (const [entry, content] of Object.entries(commit.tree)) {
      if (!entry.startsWith(prefix)) continue;
      const rest = entry.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash === -1) {
        children.set(rest, contentFile(urls, repo, entry, ref, content, false));
      } else {
        const dir = `${prefix}${rest.slice(0, slash)}`;
        if (children.has(rest.slice(0, slash))) continue;
        const subtree = Object.fromEntries(
          Object.entries(commit.tree).filter(([p]) => p.startsWith(`${dir}/`)),
        );
        children.set(rest.slice(0, slash), contentDir(urls, repo, dir, ref, treeSha(subtree)));
      }
    }
    if (children.size === 0) throw notFound();
    return json(
      200,
      [...children.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, entry]) => entry),
    );
  };
  get("/repos/:owner/:repo/contents", getContents);
  get("/repos/:owner/:repo/contents/", getContents);
  get("/repos/:owner/:repo/contents/:path{.+}", getContents);

  put("/repos/:owner/:repo/contents/:path{.+}", async (c, user) => {
    const repo = repoOf(c, user, true);
    const path = (c.req.param("path") ?? "").replace(/^\/+|\/+$/g, "");
    const body = await readJson(c);
    check(
      body,
      {
        message: "string",
        content: "string",
        sha: "string",
        branch: "string",
        committer: "object",
        author: "object",
      },
      ["message", "content"],
    );
    const content = (body.content as string).replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 === 1)
      throw new GithubError(422, "content is not valid Base64");
    const normalized = Buffer.from(content, "base64").toString("base64");
    if (path === "" || path.split("/").some((part) => part === "" || part === "." || part === ".."))
      throw validationFailed([{ resource: "Commit", field: "path", code: "invalid" }]);
    const empty = Object.keys(repo.branches).length === 0;
    const branchName = (body.branch as string | undefined) ?? repo.default_branch;
    const head = repo.branches[branchName];
    if (!empty && head === undefined) throw new GithubError(404, `Branch ${branchName} not found`);
    if (empty) repo.default_branch = branchName;
    const tree = { ...(head ? repo.commits[head]?.tree : {}) };
    if (Object.keys(tree).some((entry) => entry.startsWith(`${path}/`)))
      throw validationFailed([{ resource: "Commit", field: "path", code: "invalid" }]);
    const existing = tree[path];
    if (existing !== undefined) {
      if (typeof body.sha !== "string")
        throw new GithubError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
      if (body.sha !== blobSha(existing))
        throw new GithubError(409, `${path} does not match ${body.sha}`);
    }
    tree[path] = normalized;
    const commit = makeCommit(repo, user, head ? [head] : [], tree, body.message as string, body);
    moveBranch(repo, user, branchName, commit.sha);
    return json(existing === undefined ? 201 : 200, {
      content: contentFile(urls, repo, path, branchName, normalized, false),
      commit: gitCommit(urls, repo, commit),
    });
  });

  del("/repos/:owner/:repo/contents/:path{.+}", async (c, user) => {
    const repo = repoOf(c, user, true);
    const path = (c.req.param("path") ?? "").replace(/^\/+|\/+$/g, "");
    const body = await readJson(c);
    check(
      body,
      { message: "string", sha: "string", branch: "string", committer: "object", author: "object" },
      ["message", "sha"],
    );
    const branchName = (body.branch as string | undefined) ?? repo.default_branch;
    const head = repo.branches[branchName];
    if (head === undefined) throw new GithubError(404, `Branch ${branchName} not found`);
    const tree = { ...repo.commits[head]?.tree };
    const existing = tree[path];
    if (existing === undefined) throw notFound();
    if (body.sha !== blobSha(existing))
      throw new GithubError(409, `${path} does not match ${body.sha}`);
    delete tree[path];
    const commit = makeCommit(repo, user, [head], tree, body.message as string, body);
    moveBranch(repo, user, branchName, commit.sha);
    return json(200, { content: null, commit: gitCommit(urls, repo, commit) });
  });

  // --- branches, refs and commits --------------------------------------------------------

  get("/repos/:owner/:repo/branches", (c, user) => {
    const repo = repoOf(c, user);
    const names = Object.keys(repo.branches).sort();
    const { page, link } = paginate(c, names);
    return withLink(
      200,
      page.map((name) => shortBranch(urls, repo, name, repo.branches[name] as string)),
      link,
    );
  });

  get("/repos/:owner/:repo/branches/:branch{.+}", (c, user) => {
    const repo = repoOf(c, user);
    const name = c.req.param("branch") ?? "";
    const sha = repo.branches[name];
    const commit = sha ? repo.commits[sha] : undefined;
    if (!commit) throw new GithubError(404, "Branch not found");
    return json(200, branch(urls, twin.state, repo, name, commit));
  });

  get("/repos/:owner/:repo/commits/:ref{.+}/check-runs", (c, user) => {
    const repo = repoOf(c, user);
    const ref = c.req.param("ref") ?? "";
    const sha = resolve(repo, ref);
    if (!sha) throw new GithubError(422, `No commit found for SHA: ${ref}`);
    const name = c.req.query("check_name");
    const status = c.req.query("status");
    let runs = repo.check_runs.filter(
      (run) =>
        run.head_sha === sha &&
        (name === undefined || run.name === name) &&
        (status === undefined || run.status === status),
    );
    if ((c.req.query("filter") ?? "latest") === "latest") {
      const latest = new Map<string, CheckRunRecord>();
      for (const run of runs) latest.set(run.name, run);
      runs = runs.filter((run) => latest.get(run.name) === run);
    }
    const { page, link } = paginate(c, runs);
    return withLink(
      200,
      {
        total_count: runs.length,
        check_runs: page.map((run) => checkRun(urls, twin.state, repo, run)),
      },
      link,
    );
  });

  get("/repos/:owner/:repo/commits/:ref", (c, user) => {
    const repo = repoOf(c, user);
    const ref = c.req.param("ref") ?? "";
    const sha = resolve(repo, ref);
    const commit = sha ? repo.commits[sha] : undefined;
    if (!commit) throw new GithubError(422, `No commit found for SHA: ${ref}`);
    return json(200, restCommit(urls, twin.state, repo, commit));
  });

  post("/repos/:owner/:repo/git/refs", async (c, user) => {
    const repo = repoOf(c, user, true);
    const body = await readJson(c);
    check(body, { ref: "string", sha: "string" }, ["ref", "sha"]);
    const ref = body.ref as string;
    if (!/^refs\/[^/]+\/.+/.test(ref))
      throw new GithubError(
        422,
        "Reference name must start with 'refs/' and have at least two slashes.",
      );
    if (!ref.startsWith("refs/heads/") || !validBranchName(ref.slice("refs/heads/".length)))
      throw new GithubError(422, `${ref} is not a valid ref name.`);
    const name = ref.slice("refs/heads/".length);
    if (!repo.commits[body.sha as string]) throw new GithubError(422, "Object does not exist");
    if (repo.branches[name] !== undefined) throw new GithubError(422, "Reference already exists");
    moveBranch(repo, user, name, body.sha as string);
    return json(201, gitRef(urls, repo, name, body.sha as string));
  });

  get("/repos/:owner/:repo/git/ref/:ref{.+}", (c, user) => {
    const repo = repoOf(c, user);
    const ref = c.req.param("ref") ?? "";
    const name = ref.startsWith("heads/") ? ref.slice("heads/".length) : undefined;
    const sha = name === undefined ? undefined : repo.branches[name];
    if (name === undefined || sha === undefined) throw notFound();
    return json(200, gitRef(urls, repo, name, sha));
  });

  patch("/repos/:owner/:repo/git/refs/:ref{.+}", async (c, user) => {
    const repo = repoOf(c, user, true);
    const ref = c.req.param("ref") ?? "";
    const body = await readJson(c);
    check(body, { sha: "string", force: "boolean" }, ["sha"]);
    const name = ref.startsWith("heads/") ? ref.slice("heads/".length) : undefined;
    const before = name === undefined ? undefined : repo.branches[name];
    if (name === undefined || before === undefined)
      throw new GithubError(422, "Reference does not exist");
    const sha = body.sha as string;
    if (!repo.commits[sha]) throw new GithubError(422, "Object does not exist");
    const fastForward = ancestors(repo, sha).has(before);
    if (!fastForward && body.force !== true)
      throw new GithubError(422, "Update is not a fast forward");
    moveBranch(repo, user, name, sha, !fastForward);
    return json(200, gitRef(urls, repo, name, sha));
  });

  del("/repos/:owner/:repo/git/refs/:ref{.+}", (c, user) => {
    const repo = repoOf(c, user, true);
    const ref = c.req.param("ref") ?? "";
    const name = ref.startsWith("heads/") ? ref.slice("heads/".length) : undefined;
    if (name === undefined || repo.branches[name] === undefined)
      throw new GithubError(422, "Reference does not exist");
    moveBranch(repo, user, name, undefined);
    return json(204, null);
  });

  // --- issues and pull requests -----------------------------------------------------------

  const issueOf = (repo: RepoRecord, number: number): IssueRecord => {
    const record = repo.issues[String(number)];
    if (!record) throw notFound();
    return record;
  };

  const newIssue = (
    repo: RepoRecord,
    user: UserRecord,
    title: string,
    body: string | null,
    pull: boolean,
  ): IssueRecord => {
    const created = now();
    const record: IssueRecord = {
      number: repo.next_number++,
      id: newId(twin.random),
      node_id: nodeId(twin.random, "I"),
      title,
      body,
      user: user.login,
      state: "open",
      state_reason: null,
      labels: [],
      assignees: [],
      comments: 0,
      locked: false,
      created_at: created,
      updated_at: created,
      closed_at: null,
      closed_by: null,
      pull,
    };
    repo.issues[String(record.number)] = record;
    return record;
  };

  const setLabels = (repo: RepoRecord, record: IssueRecord, raw: unknown[]) => {
    const names = raw.map((entry) =>
      typeof entry === "string"
        ? entry
        : typeof (entry as { name?: unknown })?.name === "string"
          ? (entry as { name: string }).name
          : undefined,
    );
    if (names.some((name) => name === undefined || name === ""))
      throw validationFailed([{ resource: "Label", field: "name", code: "invalid" }]);
    const known = new Map(
      Object.values(repo.issues)
        .flatMap((other) => other.labels)
        .map((entry) => [entry.name, entry]),
    );
    record.labels = [...new Set(names as string[])].map(
      (name) =>
        known.get(name) ?? {
          id: newId(twin.random),
          node_id: `LA_kwDO${twin.random.id("", 12)}`,
          name,
          color: "ededed",
        },
    );
  };

  const setAssignees = (record: IssueRecord, raw: unknown[]) => {
    const logins = raw.filter((entry): entry is string => typeof entry === "string");
    const unknown = logins.find((login) => !twin.state.users[login]);
    if (unknown !== undefined || logins.length !== raw.length)
      throw validationFailed([
        { resource: "Issue", field: "assignees", code: "invalid", value: unknown ?? null },
      ]);
    record.assignees = [...new Set(logins)];
  };

  const closeIssue = (
    repo: RepoRecord,
    record: IssueRecord,
    user: UserRecord,
    reason: string | null,
  ) => {
    record.state = "closed";
    record.state_reason = reason ?? "completed";
    record.closed_at = now();
    record.closed_by = user.login;
    record.updated_at = record.closed_at;
    const pull = repo.pulls[String(record.number)];
    if (pull) {
      pull.head_sha = pullHeadSha(repo, pull, true);
      pull.base_sha = repo.branches[pull.base] ?? pull.base_sha;
    }
  };

  const reopenIssue = (repo: RepoRecord, record: IssueRecord) => {
    const pull = repo.pulls[String(record.number)];
    if (pull?.merged)
      throw validationFailed([{ resource: "PullRequest", field: "state", code: "invalid" }]);
    record.state = "open";
    record.state_reason = "reopened";
    record.closed_at = null;
    record.closed_by = null;
    record.updated_at = now();
  };

  const pullEvent = (repo: RepoRecord, user: UserRecord, pull: PullRecord, action: string) =>
    emit("pull_request", repo, user, {
      action,
      number: pull.number,
      pull_request: pullRequest(urls, twin.state, repo, pull, true),
    });

  const issueEvent = (repo: RepoRecord, user: UserRecord, record: IssueRecord, action: string) =>
    emit("issues", repo, user, { action, issue: issue(urls, twin.state, repo, record) });

  post("/repos/:owner/:repo/issues", async (c, user) => {
    const repo = repoOf(c, user);
    if (!repo.has_issues) throw new GithubError(410, "Issues are disabled for this repo");
    const body = await readJson(c);
    check(
      body,
      {
        title: "string",
        body: "string|null",
        labels: "array",
        assignees: "array",
        assignee: "string|null",
      },
      ["title"],
    );
    if ((body.title as string).trim() === "")
      throw validationFailed([{ resource: "Issue", field: "title", code: "missing_field" }]);
    const record = newIssue(repo, user, body.title as string, (body.body as string) ?? null, false);
    try {
      if (Array.isArray(body.labels)) setLabels(repo, record, body.labels);
      const assignees = Array.isArray(body.assignees)
        ? body.assignees
        : typeof body.assignee === "string"
          ? [body.assignee]
          : [];
      setAssignees(record, assignees);
    } catch (error) {
      delete repo.issues[String(record.number)];
      repo.next_number--;
      throw error;
    }
    issueEvent(repo, user, record, "opened");
    return json(201, issue(urls, twin.state, repo, record));
  });

  get("/repos/:owner/:repo/issues", (c, user) => {
    const repo = repoOf(c, user);
    const state = c.req.query("state") ?? "open";
    if (!["open", "closed", "all"].includes(state))
      throw validationFailed([{ resource: "Issue", field: "state", code: "invalid" }]);
    const labels = (c.req.query("labels") ?? "").split(",").filter(Boolean);
    const creator = c.req.query("creator");
    const assignee = c.req.query("assignee");
    const sort = c.req.query("sort") ?? "created";
    const direction = c.req.query("direction") ?? "desc";
    const records = Object.values(repo.issues).filter(
      (record) =>
        (state === "all" || record.state === state) &&
        labels.every((name) => record.labels.some((entry) => entry.name === name)) &&
        (creator === undefined || record.user === creator) &&
        (assignee === undefined ||
          assignee === "*" ||
          (assignee === "none"
            ? record.assignees.length === 0
            : record.assignees.includes(assignee))),
    );
    const keyOf = (record: IssueRecord): [string | number, number] =>
      sort === "updated"
        ? [record.updated_at, record.number]
        : sort === "comments"
          ? [record.comments, record.number]
          : [record.number, record.number];
    records.sort((a, b) => {
      const [ka, na] = keyOf(a);
      const [kb, nb] = keyOf(b);
      return ka < kb ? -1 : ka > kb ? 1 : na - nb;
    });
    if (direction !== "asc") records.reverse();
    const { page, link } = paginate(c, records);
    return withLink(
      200,
      page.map((record) => issue(urls, twin.state, repo, record)),
      link,
    );
  });

  get("/repos/:owner/:repo/issues/:number", (c, user) => {
    const repo = repoOf(c, user);
    return json(200, issue(urls, twin.state, repo, issueOf(repo, numberParam(c, "number"))));
  });

  patch("/repos/:owner/:repo/issues/:number", async (c, user) => {
    const repo = repoOf(c, user);
    const record = issueOf(repo, numberParam(c, "number"));
    const body = await readJson(c);
    check(body, {
      title: "string",
      body: "string|null",
      state: "string",
      state_reason: "string|null",
      labels: "array",
      assignees: "array",
    });
    if (record.user !== user.login && !canPush(repo, user))
      throw new GithubError(403, "Must have push access to update this issue.");
    if (body.state !== undefined && body.state !== "open" && body.state !== "closed")
      throw validationFailed([{ resource: "Issue", field: "state", code: "invalid" }]);
    const before = record.state;
    if (typeof body.title === "string") record.title = body.title;
    if (body.body !== undefined) record.body = body.body as string | null;
    if (Array.isArray(body.labels)) setLabels(repo, record, body.labels);
    if (Array.isArray(body.assignees)) setAssignees(record, body.assignees);
    record.updated_at = now();
    if (body.state === "closed" && before === "open")
      closeIssue(repo, record, user, (body.state_reason as string | null | undefined) ?? null);
    if (body.state === "open" && before === "closed") reopenIssue(repo, record);
    const pull = repo.pulls[String(record.number)];
    const action =
      record.state === before ? "edited" : record.state === "closed" ? "closed" : "reopened";
    if (pull) pullEvent(repo, user, pull, action);
    else issueEvent(repo, user, record, action);
    return json(200, issue(urls, twin.state, repo, record));
  });

  post("/repos/:owner/:repo/issues/:number/comments", async (c, user) => {
    const repo = repoOf(c, user);
    const record = issueOf(repo, numberParam(c, "number"));
    const body = await readJson(c);
    check(body, { body: "string" }, ["body"]);
    if ((body.body as string).trim() === "")
      throw validationFailed([{ resource: "IssueComment", field: "body", code: "missing_field" }]);
    const created = now();
    const entry = {
      id: newId(twin.random),
      node_id: nodeId(twin.random, "IC"),
      issue: record.number,
      body: body.body as string,
      user: user.login,
      created_at: created,
      updated_at: created,
    };
    repo.comments.push(entry);
    record.comments++;
    record.updated_at = created;
    emit("issue_comment", repo, user, {
      action: "created",
      issue: issue(urls, twin.state, repo, record),
      comment: comment(urls, twin.state, repo, entry),
    });
    return json(201, comment(urls, twin.state, repo, entry));
  });

  get("/repos/:owner/:repo/issues/:number/comments", (c, user) => {
    const repo = repoOf(c, user);
    const record = issueOf(repo, numberParam(c, "number"));
    const entries = repo.comments.filter((entry) => entry.issue === record.number);
    const { page, link } = paginate(c, entries);
    return withLink(
      200,
      page.map((entry) => comment(urls, twin.state, repo, entry)),
      link,
    );
  });

  post("/repos/:owner/:repo/pulls", async (c, user) => {
    const repo = repoOf(c, user);
    const body = await readJson(c);
    check(
      body,
      {
        title: "string",
        head: "string",
        base: "string",
        body: "string|null",
        draft: "boolean",
        maintainer_can_modify: "boolean",
      },
      ["head", "base"],
    );
    let head = body.head as string;
    const colon = head.indexOf(":");
    if (colon !== -1) {
      if (head.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase())
        throw validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
      head = head.slice(colon + 1);
    }
    const base = body.base as string;
    if (typeof body.title !== "string" || body.title.trim() === "")
      throw validationFailed([{ resource: "PullRequest", field: "title", code: "missing_field" }]);
    const baseSha = repo.branches[base];
    const headSha = repo.branches[head];
    const invalid: Record<string, unknown>[] = [];
    if (baseSha === undefined)
      invalid.push({ resource: "PullRequest", field: "base", code: "invalid" });
    if (headSha === undefined)
      invalid.push({ resource: "PullRequest", field: "head", code: "invalid" });
    if (invalid.length > 0 || baseSha === undefined || headSha === undefined)
      throw validationFailed(
        invalid,
        "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
      );
    const existing = Object.values(repo.pulls).find(
      (pull) =>
        pull.head === head &&
        pull.base === base &&
        repo.issues[String(pull.number)]?.state === "open",
    );
    if (existing)
      throw validationFailed([
        {
          resource: "PullRequest",
          code: "custom",
          message: `A pull request already exists for ${repo.owner}:${head}.`,
        },
      ]);
    if (ancestors(repo, baseSha).has(headSha))
      throw validationFailed([
        {
          resource: "PullRequest",
          code: "custom",
          message: `No commits between ${base} and ${head}`,
        },
      ]);
    const record = newIssue(repo, user, body.title, (body.body as string) ?? null, true);
    const pull: PullRecord = {
      number: record.number,
      id: newId(twin.random),
      node_id: nodeId(twin.random, "PR"),
      head,
      base,
      head_sha: headSha,
      base_sha: baseSha,
      draft: body.draft === true,
      maintainer_can_modify: body.maintainer_can_modify !== false,
      merged: false,
      merged_at: null,
      merged_by: null,
      merge_commit_sha: null,
    };
    repo.pulls[String(pull.number)] = pull;
    pullEvent(repo, user, pull, "opened");
    return json(201, pullRequest(urls, twin.state, repo, pull, true));
  });

  get("/repos/:owner/:repo/pulls", (c, user) => {
    const repo = repoOf(c, user);
    const state = c.req.query("state") ?? "open";
    if (!["open", "closed", "all"].includes(state))
      throw validationFailed([{ resource: "PullRequest", field: "state", code: "invalid" }]);
    const headFilter = c.req.query("head");
    const baseFilter = c.req.query("base");
    const direction = c.req.query("direction") ?? "desc";
    const pulls = Object.values(repo.pulls).filter((pull) => {
      const record = repo.issues[String(pull.number)];
      if (!record || (state !== "all" && record.state !== state)) return false;
      if (
        headFilter !== undefined &&
        `${repo.owner}:${pull.head}` !== headFilter &&
        pull.head !== headFilter
      )
        return false;
      return baseFilter === undefined || pull.base === baseFilter;
    });
    pulls.sort((a, b) => a.number - b.number);
    if (direction !== "asc") pulls.reverse();
    const { page, link } = paginate(c, pulls);
    return withLink(
      200,
      page.map((pull) => pullRequest(urls, twin.state, repo, pull, false)),
      link,
    );
  });

  const pullOf = (repo: RepoRecord, number: number): PullRecord => {
    const pull = repo.pulls[String(number)];
    if (!pull) throw notFound();
    return pull;
  };

  get("/repos/:owner/:repo/pulls/:number", (c, user) => {
    const repo = repoOf(c, user);
    return json(
      200,
      pullRequest(urls, twin.state, repo, pullOf(repo, numberParam(c, "number")), true),
    );
  });

  patch("/repos/:owner/:repo/pulls/:number", async (c, user) => {
    const repo = repoOf(c, user);
    const pull = pullOf(repo, numberParam(c, "number"));
    const record = issueOf(repo, pull.number);
    const body = await readJson(c);
    check(body, { title: "string", body: "string|null", state: "string", base: "string" });
    if (record.user !== user.login && !canPush(repo, user))
      throw new GithubError(403, "Must have push access to update this pull request.");
    if (body.state !== undefined && body.state !== "open" && body.state !== "closed")
      throw validationFailed([{ resource: "PullRequest", field: "state", code: "invalid" }]);
    if (typeof body.base === "string") {
      if (repo.branches[body.base] === undefined)
        throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
      pull.base = body.base;
    }
    const before = record.state;
    if (typeof body.title === "string") record.title = body.title;
    if (body.body !== undefined) record.body = body.body as string | null;
    record.updated_at = now();
    if (body.state === "closed" && before === "open") closeIssue(repo, record, user, null);
    if (body.state === "open" && before === "closed") reopenIssue(repo, record);
    pullEvent(
      repo,
      user,
      pull,
      record.state === before ? "edited" : record.state === "closed" ? "closed" : "reopened",
    );
    return json(200, pullRequest(urls, twin.state, repo, pull, true));
  });

  get("/repos/:owner/:repo/pulls/:number/files", (c, user) => {
    const repo = repoOf(c, user);
    const pull = pullOf(repo, numberParam(c, "number"));
    const open = repo.issues[String(pull.number)]?.state === "open";
    const headSha = pullHeadSha(repo, pull, open);
    const baseSha = (open ? repo.branches[pull.base] : undefined) ?? pull.base_sha;
    const mb = pull.merged ? pull.base_sha : (mergeBase(repo, baseSha, headSha) ?? baseSha);
    const from = repo.commits[mb]?.tree ?? {};
    const to = repo.commits[headSha]?.tree ?? {};
    const { page, link } = paginate(c, changedPaths(from, to));
    const api = `${urls.api}/repos/${repo.owner}/${repo.name}`;
    return withLink(
      200,
      page.map((filename) => {
        const stats = lineStats(
          { [filename]: from[filename] ?? "" },
          { [filename]: to[filename] ?? "" },
        );
        const after = to[filename];
        return {
          sha: after === undefined ? null : blobSha(after),
          filename,
          status:
            from[filename] === undefined ? "added" : after === undefined ? "removed" : "modified",
          additions: stats.additions,
          deletions: stats.deletions,
          changes: stats.additions + stats.deletions,
          blob_url: `${urls.html}/${repo.owner}/${repo.name}/blob/${headSha}/${filename}`,
          raw_url: `${urls.html}/${repo.owner}/${repo.name}/raw/${headSha}/${filename}`,
          contents_url: `${api}/contents/${filename}?ref=${headSha}`,
        };
      }),
      link,
    );
  });

  get("/repos/:owner/:repo/pulls/:number/merge", (c, user) => {
    const repo = repoOf(c, user);
    const pull = pullOf(repo, numberParam(c, "number"));
    if (!pull.merged) throw notFound();
    return json(204, null);
  });

  put("/repos/:owner/:repo/pulls/:number/merge", async (c, user) => {
    const repo = repoOf(c, user, true);
    const pull = pullOf(repo, numberParam(c, "number"));
    const record = issueOf(repo, pull.number);
    const body = await readJson(c);
    check(body, {
      commit_title: "string",
      commit_message: "string",
      sha: "string",
      merge_method: "string",
    });
    const method = (body.merge_method as string | undefined) ?? "merge";
    if (!["merge", "squash", "rebase"].includes(method))
      throw validationFailed([{ resource: "PullRequest", field: "merge_method", code: "invalid" }]);
    const refused = new GithubError(
      405,
      "Pull Request is not mergeable",
      "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request",
    );
    if (pull.merged || record.state !== "open") throw refused;
    const headSha = repo.branches[pull.head];
    const baseSha = repo.branches[pull.base];
    if (headSha === undefined || baseSha === undefined) throw refused;
    if (typeof body.sha === "string" && body.sha !== headSha)
      throw new GithubError(
        409,
        "Head branch was modified. Review and try the merge again.",
        "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request",
      );
    const merged = threeWayMerge(repo, baseSha, headSha);
    if (merged.conflicts.length > 0) throw refused;
    const title =
      (body.commit_title as string | undefined) ??
      (method === "merge"
        ? `Merge pull request #${pull.number} from ${repo.owner}/${pull.head}`
        : `${record.title} (#${pull.number})`);
    const detail =
      (body.commit_message as string | undefined) ?? (method === "merge" ? record.title : "");
    const commit = makeCommit(
      repo,
      user,
      method === "merge" ? [baseSha, headSha] : [baseSha],
      merged.tree,
      detail ? `${title}\n\n${detail}` : title,
    );
    pull.merged = true;
    pull.merged_at = now();
    pull.merged_by = user.login;
    pull.merge_commit_sha = commit.sha;
    pull.head_sha = headSha;
    pull.base_sha = baseSha;
    closeIssue(repo, record, user, "completed");
    moveBranch(repo, user, pull.base, commit.sha);
    pullEvent(repo, user, pull, "closed");
    return json(200, {
      sha: commit.sha,
      merged: true,
      message: "Pull Request successfully merged",
    });
  });

  // --- check runs -------------------------------------------------------------------------

  const checkRunBody = (body: Record<string, unknown>, required: string[]) => {
    check(
      body,
      {
        name: "string",
        head_sha: "string",
        status: "string",
        conclusion: "string",
        details_url: "string",
        external_id: "string",
        started_at: "string",
        completed_at: "string",
        output: "object",
      },
      required,
    );
    if (body.status !== undefined && !CHECK_STATUSES.includes(body.status as string))
      throw validationFailed([{ resource: "CheckRun", field: "status", code: "invalid" }]);
    if (body.conclusion !== undefined && !CHECK_CONCLUSIONS.includes(body.conclusion as string))
      throw validationFailed([{ resource: "CheckRun", field: "conclusion", code: "invalid" }]);
    const output = body.output as Record<string, unknown> | undefined;
    if (output && (typeof output.title !== "string" || typeof output.summary !== "string"))
      throw validationFailed([{ resource: "CheckRun", field: "output", code: "missing_field" }]);
  };

  const applyCheckRun = (run: CheckRunRecord, body: Record<string, unknown>) => {
    if (typeof body.name === "string") run.name = body.name;
    if (typeof body.details_url === "string") run.details_url = body.details_url;
    if (typeof body.external_id === "string") run.external_id = body.external_id;
    if (typeof body.started_at === "string") run.started_at = body.started_at;
    if (typeof body.status === "string") run.status = body.status;
    if (typeof body.conclusion === "string") {
      run.conclusion = body.conclusion;
      run.status = "completed";
    }
    if (run.status === "completed") {
      if (run.conclusion === null)
        throw validationFailed([
          { resource: "CheckRun", field: "conclusion", code: "missing_field" },
        ]);
      run.completed_at = (body.completed_at as string | undefined) ?? run.completed_at ?? now();
    }
    const output = body.output as Record<string, unknown> | undefined;
    if (output)
      run.output = {
        title: output.title as string,
        summary: output.summary as string,
        text: typeof output.text === "string" ? output.text : null,
      };
  };

  post("/repos/:owner/:repo/check-runs", async (c, user) => {
    const repo = repoOf(c, user, true);
    const body = await readJson(c);
    checkRunBody(body, ["name", "head_sha"]);
    const headSha = body.head_sha as string;
    if (!repo.commits[headSha]) throw new GithubError(422, `No commit found for SHA: ${headSha}`);
    repo.check_suites[headSha] ??= newId(twin.random);
    const run: CheckRunRecord = {
      id: newId(twin.random),
      node_id: nodeId(twin.random, "CR"),
      name: body.name as string,
      head_sha: headSha,
      status: "queued",
      conclusion: null,
      details_url: null,
      external_id: null,
      started_at: now(),
      completed_at: null,
      output: { title: null, summary: null, text: null },
      suite_id: repo.check_suites[headSha],
      user: user.login,
    };
    applyCheckRun(run, body);
    repo.check_runs.push(run);
    const rendered = checkRun(urls, twin.state, repo, run);
    emit("check_run", repo, user, { action: "created", check_run: rendered });
    if (run.status === "completed")
      emit("check_run", repo, user, { action: "completed", check_run: rendered });
    return json(201, rendered);
  });

  const runOf = (c: Context, repo: RepoRecord): CheckRunRecord => {
    const raw = c.req.param("id") ?? "";
    const run = /^\d+$/.test(raw)
      ? repo.check_runs.find((entry) => entry.id === Number(raw))
      : undefined;
    if (!run) throw notFound();
    return run;
  };

  get("/repos/:owner/:repo/check-runs/:id", (c, user) => {
    const repo = repoOf(c, user);
    return json(200, checkRun(urls, twin.state, repo, runOf(c, repo)));
  });

  patch("/repos/:owner/:repo/check-runs/:id", async (c, user) => {
    const repo = repoOf(c, user, true);
    const run = runOf(c, repo);
    const body = await readJson(c);
    checkRunBody(body, []);
    const before = run.status;
    const saved = structuredClone(run);
    try {
      applyCheckRun(run, body);
    } catch (error) {
      Object.assign(run, saved);
      throw error;
    }
    const rendered = checkRun(urls, twin.state, repo, run);
    if (run.status === "completed" && before !== "completed")
      emit("check_run", repo, user, { action: "completed", check_run: rendered });
    return json(200, rendered);
  });
}

function fileChanges(from: Record<string, string>, to: Record<string, string>) {
  const paths = changedPaths(from, to);
  return {
    added: paths.filter((path) => from[path] === undefined),
    removed: paths.filter((path) => to[path] === undefined),
    modified: paths.filter((path) => from[path] !== undefined && to[path] !== undefined),
  };
}

function validBranchName(name: string): boolean {
  return (
    name !== "" &&
    !name.startsWith("/") &&
    !name.endsWith("/") &&
    !name.endsWith(".lock") &&
    !name.includes("..") &&
    !name.includes("//") &&
    !/[\s~^:?*[\\]/.test(name) &&
    ![...name].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127) &&
    !name.includes("@{")
  );
}

function stringOption(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

function positiveOption(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0
    ? Math.floor(value)
    : fallback;
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

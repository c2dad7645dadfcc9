/** Repositories: create, list and get for the authenticated user, and delete. */
import { canPush, type GithubApi, repoOf } from "./api.js";
import { makeCommit } from "./git.js";
import {
  check,
  GithubError,
  json,
  paginate,
  readJson,
  validationFailed,
  withLink,
} from "./http.js";
import { repository } from "./render/repository.js";
import { newId, type RepoRecord } from "./state.js";

export function repoRoutes(api: GithubApi): void {
  const { twin, urls, now, get, post, del } = api;

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
      repo.branches.main = makeCommit(api, repo, user, [], tree, "Initial commit").sha;
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
    json(
      200,
      repository(urls, twin.state, repoOf(api, c, user), { full: true, viewer: user.login }),
    ),
  );

  del("/repos/:owner/:repo", (c, user) => {
    const repo = repoOf(api, c, user);
    if (repo.owner !== user.login)
      throw new GithubError(403, "Must have admin rights to Repository.");
    delete twin.state.repos[`${repo.owner}/${repo.name}`.toLowerCase()];
    return json(204, null);
  });
}

/** `/repos/{owner}/{repo}/contents`: read files and directories, write and delete files. */
import type { Context } from "hono";
import { type GithubApi, repoOf } from "./api.js";
import { makeCommit, moveBranch, resolve } from "./git.js";
import { check, GithubError, json, notFound, readJson, validationFailed } from "./http.js";
import { contentDir, contentFile, gitCommit } from "./render/git.js";
import { blobSha, treeSha, type UserRecord } from "./state.js";

export function contentRoutes(api: GithubApi): void {
  const { urls, get, put, del } = api;

  const getContents = (c: Context, user: UserRecord) => {
    const repo = repoOf(api, c, user);
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
    const repo = repoOf(api, c, user, true);
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
    const commit = makeCommit(
      api,
      repo,
      user,
      head ? [head] : [],
      tree,
      body.message as string,
      body,
    );
    moveBranch(api, repo, user, branchName, commit.sha);
    return json(existing === undefined ? 201 : 200, {
      content: contentFile(urls, repo, path, branchName, normalized, false),
      commit: gitCommit(urls, repo, commit),
    });
  });

  del("/repos/:owner/:repo/contents/:path{.+}", async (c, user) => {
    const repo = repoOf(api, c, user, true);
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
    const commit = makeCommit(api, repo, user, [head], tree, body.message as string, body);
    moveBranch(api, repo, user, branchName, commit.sha);
    return json(200, { content: null, commit: gitCommit(urls, repo, commit) });
  });
}

/** Branches, commits by ref, and `git/refs`: create, get, move (fast-forward or forced), delete. */
import { type GithubApi, repoOf } from "./api.js";
import { moveBranch, resolve } from "./git.js";
import { check, GithubError, json, notFound, paginate, readJson, withLink } from "./http.js";
import { branch, gitRef, restCommit, shortBranch } from "./render/git.js";
import { ancestors } from "./state.js";

export function branchRoutes(api: GithubApi): void {
  const { twin, urls, get, post, patch, del } = api;

  get("/repos/:owner/:repo/branches", (c, user) => {
    const repo = repoOf(api, c, user);
    const names = Object.keys(repo.branches).sort();
    const { page, link } = paginate(c, names);
    return withLink(
      200,
      page.map((name) => shortBranch(urls, repo, name, repo.branches[name] as string)),
      link,
    );
  });

  get("/repos/:owner/:repo/branches/:branch{.+}", (c, user) => {
    const repo = repoOf(api, c, user);
    const name = c.req.param("branch") ?? "";
    const sha = repo.branches[name];
    const commit = sha ? repo.commits[sha] : undefined;
    if (!commit) throw new GithubError(404, "Branch not found");
    return json(200, branch(urls, twin.state, repo, name, commit));
  });

  get("/repos/:owner/:repo/commits/:ref", (c, user) => {
    const repo = repoOf(api, c, user);
    const ref = c.req.param("ref") ?? "";
    const sha = resolve(repo, ref);
    const commit = sha ? repo.commits[sha] : undefined;
    if (!commit) throw new GithubError(422, `No commit found for SHA: ${ref}`);
    return json(200, restCommit(urls, twin.state, repo, commit));
  });

  post("/repos/:owner/:repo/git/refs", async (c, user) => {
    const repo = repoOf(api, c, user, true);
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
    moveBranch(api, repo, user, name, body.sha as string);
    return json(201, gitRef(urls, repo, name, body.sha as string));
  });

  get("/repos/:owner/:repo/git/ref/:ref{.+}", (c, user) => {
    const repo = repoOf(api, c, user);
    const ref = c.req.param("ref") ?? "";
    const name = ref.startsWith("heads/") ? ref.slice("heads/".length) : undefined;
    const sha = name === undefined ? undefined : repo.branches[name];
    if (name === undefined || sha === undefined) throw notFound();
    return json(200, gitRef(urls, repo, name, sha));
  });

  patch("/repos/:owner/:repo/git/refs/:ref{.+}", async (c, user) => {
    const repo = repoOf(api, c, user, true);
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
    moveBranch(api, repo, user, name, sha, !fastForward);
    return json(200, gitRef(urls, repo, name, sha));
  });

  del("/repos/:owner/:repo/git/refs/:ref{.+}", (c, user) => {
    const repo = repoOf(api, c, user, true);
    const ref = c.req.param("ref") ?? "";
    const name = ref.startsWith("heads/") ? ref.slice("heads/".length) : undefined;
    if (name === undefined || repo.branches[name] === undefined)
      throw new GithubError(422, "Reference does not exist");
    moveBranch(api, repo, user, name, undefined);
    return json(204, null);
  });
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

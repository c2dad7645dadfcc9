/** Pull requests: create, list, get, update, their files, and merge (merge, squash or rebase). */
import { canPush, type GithubApi, repoOf } from "./api.js";
import { makeCommit, moveBranch } from "./git.js";
import {
  check,
  GithubError,
  json,
  notFound,
  numberParam,
  paginate,
  readJson,
  validationFailed,
  withLink,
} from "./http.js";
import { closeIssue, issueOf, newIssue, pullEvent, reopenIssue } from "./issue-records.js";
import { pullHeadSha, pullRequest } from "./render/pulls.js";
import {
  ancestors,
  blobSha,
  changedPaths,
  lineStats,
  mergeBase,
  newId,
  nodeId,
  type PullRecord,
  type RepoRecord,
  threeWayMerge,
} from "./state.js";

export function pullRoutes(api: GithubApi): void {
  const { twin, urls, now, get, post, put, patch } = api;

  post("/repos/:owner/:repo/pulls", async (c, user) => {
    const repo = repoOf(api, c, user);
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
    const record = newIssue(api, repo, user, body.title, (body.body as string) ?? null, true);
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
    pullEvent(api, repo, user, pull, "opened");
    return json(201, pullRequest(urls, twin.state, repo, pull, true));
  });

  get("/repos/:owner/:repo/pulls", (c, user) => {
    const repo = repoOf(api, c, user);
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
    const repo = repoOf(api, c, user);
    return json(
      200,
      pullRequest(urls, twin.state, repo, pullOf(repo, numberParam(c, "number")), true),
    );
  });

  patch("/repos/:owner/:repo/pulls/:number", async (c, user) => {
    const repo = repoOf(api, c, user);
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
    if (body.state === "closed" && before === "open") closeIssue(api, repo, record, user, null);
    if (body.state === "open" && before === "closed") reopenIssue(api, repo, record);
    pullEvent(
      api,
      repo,
      user,
      pull,
      record.state === before ? "edited" : record.state === "closed" ? "closed" : "reopened",
    );
    return json(200, pullRequest(urls, twin.state, repo, pull, true));
  });

  get("/repos/:owner/:repo/pulls/:number/files", (c, user) => {
    const repo = repoOf(api, c, user);
    const pull = pullOf(repo, numberParam(c, "number"));
    const open = repo.issues[String(pull.number)]?.state === "open";
    const headSha = pullHeadSha(repo, pull, open);
    const baseSha = (open ? repo.branches[pull.base] : undefined) ?? pull.base_sha;
    const mb = pull.merged ? pull.base_sha : (mergeBase(repo, baseSha, headSha) ?? baseSha);
    const from = repo.commits[mb]?.tree ?? {};
    const to = repo.commits[headSha]?.tree ?? {};
    const { page, link } = paginate(c, changedPaths(from, to));
    const repoUrl = `${urls.api}/repos/${repo.owner}/${repo.name}`;
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
          contents_url: `${repoUrl}/contents/${filename}?ref=${headSha}`,
        };
      }),
      link,
    );
  });

  get("/repos/:owner/:repo/pulls/:number/merge", (c, user) => {
    const repo = repoOf(api, c, user);
    const pull = pullOf(repo, numberParam(c, "number"));
    if (!pull.merged) throw notFound();
    return json(204, null);
  });

  put("/repos/:owner/:repo/pulls/:number/merge", async (c, user) => {
    const repo = repoOf(api, c, user, true);
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
      api,
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
    closeIssue(api, repo, record, user, "completed");
    moveBranch(api, repo, user, pull.base, commit.sha);
    pullEvent(api, repo, user, pull, "closed");
    return json(200, {
      sha: commit.sha,
      merged: true,
      message: "Pull Request successfully merged",
    });
  });
}

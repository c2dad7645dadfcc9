/**
 * Commits and branch moves: a commit by a user (author and committer from the body, or the
 * user), and moving a branch with its `push` event; resolving a ref to a commit sha.
 */
import type { GithubApi } from "./api.js";
import {
  ancestors,
  type CommitRecord,
  changedPaths,
  type GitUser,
  nodeId,
  type RepoRecord,
  treeSha,
  type UserRecord,
} from "./state.js";
import { emit } from "./webhooks.js";

function gitUser(api: GithubApi, user: UserRecord, given: unknown): GitUser {
  const person = (given ?? {}) as Record<string, unknown>;
  return {
    name: typeof person.name === "string" ? person.name : (user.name ?? user.login),
    email: typeof person.email === "string" ? person.email : (user.email ?? ""),
    date: typeof person.date === "string" ? person.date : api.now(),
  };
}

export function makeCommit(
  api: GithubApi,
  repo: RepoRecord,
  user: UserRecord,
  parents: string[],
  tree: Record<string, string>,
  message: string,
  body: Record<string, unknown> = {},
): CommitRecord {
  const { twin } = api;
  const committer = gitUser(api, user, body.committer);
  const commit: CommitRecord = {
    sha: twin.random.hex(20),
    node_id: nodeId(twin.random, "C"),
    message,
    tree,
    parents,
    author: body.author ? gitUser(api, user, body.author) : committer,
    committer,
    by: user.login,
  };
  repo.commits[commit.sha] = commit;
  return commit;
}

/** Moves (or creates, or deletes with `after` undefined) a branch, with its push event. */
export function moveBranch(
  api: GithubApi,
  repo: RepoRecord,
  user: UserRecord,
  name: string,
  after: string | undefined,
  forced = false,
): void {
  const { urls } = api;
  const before = repo.branches[name];
  if (after === undefined) delete repo.branches[name];
  else repo.branches[name] = after;
  repo.pushed_at = api.now();
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
  emit(api, "push", repo, user, {
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
}

/** Commits reachable from `after` and not from `before`, oldest first (at most 20). */
function newCommits(repo: RepoRecord, after: string, before: string | undefined) {
  const old = before ? ancestors(repo, before) : new Set<string>();
  const fresh = [...ancestors(repo, after)]
    .filter((sha) => !old.has(sha))
    .map((sha) => repo.commits[sha])
    .filter((commit): commit is CommitRecord => commit !== undefined);
  return fresh.reverse().slice(-20);
}

/** A branch name, `heads/x`, `refs/heads/x`, or a (prefix of a) commit sha → commit sha. */
export function resolve(repo: RepoRecord, ref: string): string | undefined {
  const name = ref.replace(/^refs\//, "").replace(/^heads\//, "");
  if (repo.branches[name]) return repo.branches[name];
  if (repo.commits[ref]) return ref;
  if (/^[0-9a-f]{7,39}$/.test(ref)) {
    const found = Object.keys(repo.commits).filter((sha) => sha.startsWith(ref));
    if (found.length === 1) return found[0];
  }
  return undefined;
}

function fileChanges(from: Record<string, string>, to: Record<string, string>) {
  const paths = changedPaths(from, to);
  return {
    added: paths.filter((path) => from[path] === undefined),
    removed: paths.filter((path) => to[path] === undefined),
    modified: paths.filter((path) => from[path] !== undefined && to[path] !== undefined),
  };
}

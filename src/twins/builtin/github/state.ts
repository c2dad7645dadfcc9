/**
 * The github twin's state: users and their tokens, repositories with a small git model
 * (branches point at commits; a commit has a whole tree, path → base64 content, and parents),
 * issues and pull requests sharing one number sequence, comments, check runs and the
 * per-user request budget. Plain JSON, so the runtime can snapshot it by value.
 */
import { createHash } from "node:crypto";
import type { SeededRandom, TwinClock } from "../../index.js";

export interface GitUser {
  name: string;
  email: string;
  date: string;
}

export interface UserRecord {
  login: string;
  id: number;
  node_id: string;
  name: string | null;
  email: string | null;
  created_at: string;
}

export interface CommitRecord {
  sha: string;
  node_id: string;
  message: string;
  /** Path → base64 content: the whole tree at this commit. */
  tree: Record<string, string>;
  parents: string[];
  author: GitUser;
  committer: GitUser;
  /** The login that made it, for the REST `author`/`committer` users. */
  by: string;
}

export interface IssueRecord {
  number: number;
  id: number;
  node_id: string;
  title: string;
  body: string | null;
  user: string;
  state: "open" | "closed";
  state_reason: string | null;
  labels: LabelRecord[];
  assignees: string[];
  comments: number;
  locked: boolean;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: string | null;
  /** Set when this issue is a pull request. */
  pull: boolean;
}

export interface LabelRecord {
  id: number;
  node_id: string;
  name: string;
  color: string;
}

export interface PullRecord {
  number: number;
  id: number;
  node_id: string;
  head: string;
  /** The head's owner/repo key (same repository: no forks in the twin). */
  base: string;
  /** The head commit when it was merged or closed, or the last one seen. */
  head_sha: string;
  base_sha: string;
  draft: boolean;
  maintainer_can_modify: boolean;
  merged: boolean;
  merged_at: string | null;
  merged_by: string | null;
  merge_commit_sha: string | null;
}

export interface CommentRecord {
  id: number;
  node_id: string;
  issue: number;
  body: string;
  user: string;
  created_at: string;
  updated_at: string;
}

export interface CheckRunRecord {
  id: number;
  node_id: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  external_id: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  suite_id: number;
  user: string;
}

export interface RepoRecord {
  id: number;
  node_id: string;
  owner: string;
  name: string;
  description: string | null;
  homepage: string | null;
  private: boolean;
  default_branch: string;
  has_issues: boolean;
  has_projects: boolean;
  has_wiki: boolean;
  created_at: string;
  updated_at: string;
  pushed_at: string;
  collaborators: string[];
  branches: Record<string, string>;
  commits: Record<string, CommitRecord>;
  issues: Record<string, IssueRecord>;
  pulls: Record<string, PullRecord>;
  comments: CommentRecord[];
  check_runs: CheckRunRecord[];
  /** head sha → check suite id. */
  check_suites: Record<string, number>;
  next_number: number;
}

export interface Budget {
  used: number;
  /** Virtual epoch seconds when the window resets. */
  reset_at: number;
}

export interface GithubState {
  users: Record<string, UserRecord>;
  /** Token → login. */
  tokens: Record<string, string>;
  /** Lower-cased "owner/name" → repository. */
  repos: Record<string, RepoRecord>;
  /** Login (or "anonymous") → request budget in the current window. */
  budgets: Record<string, Budget>;
  /** Webhook deliveries made so far (their ids derive from it). */
  deliveries: number;
}

export const isoTime = (clock: TwinClock): string =>
  new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");

export const newId = (random: SeededRandom): number => random.int(100_000_000, 999_999_999);

export const nodeId = (random: SeededRandom, prefix: string): string =>
  `${prefix}_kwDO${random.id("", 12)}`;

export function makeUser(
  random: SeededRandom,
  clock: TwinClock,
  login: string,
  name: string | null,
): UserRecord {
  const id = newId(random);
  return {
    login,
    id,
    node_id: `U_kgDO${random.id("", 8)}`,
    name,
    email: `${id}+${login}@users.noreply.github.com`,
    created_at: isoTime(clock),
  };
}

/** Two users with well-known tokens; more come from the `tokens` option. */
export function initialState(random: SeededRandom, clock: TwinClock): GithubState {
  const octocat = makeUser(random, clock, "octocat", "The Octocat");
  const hubot = makeUser(random, clock, "hubot", "Hubot");
  return {
    users: { octocat, hubot },
    tokens: { ghp_octocat: "octocat", ghp_hubot: "hubot" },
    repos: {},
    budgets: {},
    deliveries: 0,
  };
}

/** Git's blob id of some bytes: what the contents API calls a file's `sha`. */
export function blobSha(base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest("hex");
}

/** A tree id derived from its entries, so equal trees have equal ids. */
export function treeSha(tree: Record<string, string>): string {
  const hash = createHash("sha1");
  for (const path of Object.keys(tree).sort())
    hash.update(`${path}\0${blobSha(tree[path] ?? "")}\n`);
  return hash.digest("hex");
}

export function ancestors(repo: RepoRecord, sha: string): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    for (const parent of repo.commits[next]?.parents ?? []) stack.push(parent);
  }
  return seen;
}

/** The nearest common ancestor of two commits (breadth first from `b`), or undefined. */
export function mergeBase(repo: RepoRecord, a: string, b: string): string | undefined {
  const ofA = ancestors(repo, a);
  const queue = [b];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    if (ofA.has(next)) return next;
    queue.push(...(repo.commits[next]?.parents ?? []));
  }
  return undefined;
}

export function changedPaths(from: Record<string, string>, to: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(from), ...Object.keys(to)]);
  return [...paths].filter((path) => from[path] !== to[path]).sort();
}

/** A three-way merge of whole files: the merged tree, or the paths both sides changed. */
export function threeWayMerge(
  repo: RepoRecord,
  baseSha: string,
  headSha: string,
): { tree: Record<string, string>; conflicts: string[] } {
  const mb = mergeBase(repo, baseSha, headSha);
  const ancestorTree = mb ? (repo.commits[mb]?.tree ?? {}) : {};
  const baseTree = repo.commits[baseSha]?.tree ?? {};
  const headTree = repo.commits[headSha]?.tree ?? {};
  const ours = new Set(changedPaths(ancestorTree, baseTree));
  const tree = { ...baseTree };
  const conflicts: string[] = [];
  for (const path of changedPaths(ancestorTree, headTree)) {
    if (ours.has(path) && baseTree[path] !== headTree[path]) {
      conflicts.push(path);
      continue;
    }
    const content = headTree[path];
    if (content === undefined) delete tree[path];
    else tree[path] = content;
  }
  return { tree, conflicts };
}

/** Lines added and removed between two trees, by a multiset comparison of lines. */
export function lineStats(
  from: Record<string, string>,
  to: Record<string, string>,
): { additions: number; deletions: number; files: number } {
  let additions = 0;
  let deletions = 0;
  const files = changedPaths(from, to);
  for (const path of files) {
    const before = linesOf(from[path]);
    const after = linesOf(to[path]);
    const count = new Map<string, number>();
    for (const line of before) count.set(line, (count.get(line) ?? 0) + 1);
    for (const line of after) {
      const left = count.get(line) ?? 0;
      if (left > 0) count.set(line, left - 1);
      else additions++;
    }
    for (const left of count.values()) deletions += left;
  }
  return { additions, deletions, files: files.length };
}

function linesOf(base64: string | undefined): string[] {
  if (base64 === undefined) return [];
  const text = Buffer.from(base64, "base64").toString("utf8");
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

/** A pull request as GitHub's REST API writes it (`pull-request-simple`, `pull-request`). */
import {
  ancestors,
  type GithubState,
  type IssueRecord,
  lineStats,
  mergeBase,
  type PullRecord,
  type RepoRecord,
  threeWayMerge,
} from "../state.js";
import { label } from "./issues.js";
import { repository } from "./repository.js";
import type { Json, Urls } from "./urls.js";
import { simpleUser } from "./users.js";

/** The live head sha of a pull request: its branch while open, the recorded one after. */
export function pullHeadSha(repo: RepoRecord, pull: PullRecord, open: boolean): string {
  return (open ? repo.branches[pull.head] : undefined) ?? pull.head_sha;
}

export function pullRequest(
  urls: Urls,
  state: GithubState,
  repo: RepoRecord,
  pull: PullRecord,
  detail: boolean,
): Json {
  const record = repo.issues[String(pull.number)] as IssueRecord;
  const open = record.state === "open";
  const headSha = pullHeadSha(repo, pull, open);
  const baseSha = (open ? repo.branches[pull.base] : undefined) ?? pull.base_sha;
  const api = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/pull/${pull.number}`;
  const url = `${api}/pulls/${pull.number}`;
  const user = simpleUser(urls, state.users[record.user]);
  const owner = simpleUser(urls, state.users[repo.owner]);
  const repoJson = repository(urls, state, repo);
  const side = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: owner,
    repo: repoJson,
  });
  const json: Json = {
    url,
    id: pull.id,
    node_id: pull.node_id,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
    number: pull.number,
    state: record.state,
    locked: record.locked,
    title: record.title,
    user,
    body: record.body,
    labels: record.labels.map((entry) => label(urls, repo, entry)),
    milestone: null,
    active_lock_reason: null,
    created_at: record.created_at,
    updated_at: record.updated_at,
    closed_at: record.closed_at,
    merged_at: pull.merged_at,
    merge_commit_sha: pull.merge_commit_sha,
    assignee: simpleUser(urls, state.users[record.assignees[0] ?? ""]),
    assignees: record.assignees.map((login) => simpleUser(urls, state.users[login])),
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head, headSha),
    base: side(pull.base, baseSha),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: `${api}/issues/${pull.number}` },
      comments: { href: `${api}/issues/${pull.number}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/statuses/${headSha}` },
    },
    author_association: record.user === repo.owner ? "OWNER" : "NONE",
    auto_merge: null,
    draft: pull.draft,
  };
  if (detail) {
    const mb = mergeBase(repo, baseSha, headSha);
    const stats = lineStats(
      mb ? (repo.commits[mb]?.tree ?? {}) : {},
      repo.commits[headSha]?.tree ?? {},
    );
    const ofBase = mb ? ancestors(repo, baseSha) : new Set<string>();
    const commits = [...ancestors(repo, headSha)].filter((sha) => !ofBase.has(sha)).length;
    const mergeable = pull.merged
      ? null
      : threeWayMerge(repo, baseSha, headSha).conflicts.length === 0;
    Object.assign(json, {
      merged: pull.merged,
      mergeable,
      rebaseable: mergeable,
      mergeable_state: mergeable === null ? "unknown" : mergeable ? "clean" : "dirty",
      merged_by: pull.merged_by ? simpleUser(urls, state.users[pull.merged_by]) : null,
      comments: record.comments,
      review_comments: 0,
      maintainer_can_modify: pull.maintainer_can_modify,
      commits,
      additions: stats.additions,
      deletions: stats.deletions,
      changed_files: stats.files,
    });
  }
  return json;
}

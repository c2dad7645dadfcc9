/** Issues, their labels and comments as GitHub's REST API writes them. */
import type { CommentRecord, GithubState, IssueRecord, RepoRecord } from "../state.js";
import type { Json, Urls } from "./urls.js";
import { simpleUser } from "./users.js";

export function label(urls: Urls, repo: RepoRecord, record: IssueRecord["labels"][number]): Json {
  return {
    id: record.id,
    node_id: record.node_id,
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(record.name)}`,
    name: record.name,
    color: record.color,
    default: false,
    description: null,
  };
}

export function issue(urls: Urls, state: GithubState, repo: RepoRecord, record: IssueRecord): Json {
  const api = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const url = `${api}/issues/${record.number}`;
  const pull = record.pull ? repo.pulls[String(record.number)] : undefined;
  const json: Json = {
    url,
    repository_url: api,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/${record.pull ? "pull" : "issues"}/${record.number}`,
    id: record.id,
    node_id: record.node_id,
    number: record.number,
    title: record.title,
    user: simpleUser(urls, state.users[record.user]),
    labels: record.labels.map((entry) => label(urls, repo, entry)),
    state: record.state,
    locked: record.locked,
    assignee: simpleUser(urls, state.users[record.assignees[0] ?? ""]),
    assignees: record.assignees.map((login) => simpleUser(urls, state.users[login])),
    milestone: null,
    comments: record.comments,
    created_at: record.created_at,
    updated_at: record.updated_at,
    closed_at: record.closed_at,
    author_association: record.user === repo.owner ? "OWNER" : "NONE",
    active_lock_reason: null,
    body: record.body,
    closed_by: record.closed_by ? simpleUser(urls, state.users[record.closed_by]) : null,
    reactions: reactions(`${url}/reactions`),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    state_reason: record.state_reason,
  };
  if (pull) {
    json.draft = pull.draft;
    json.pull_request = {
      url: `${api}/pulls/${record.number}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/pull/${record.number}`,
      diff_url: `${urls.html}/${repo.owner}/${repo.name}/pull/${record.number}.diff`,
      patch_url: `${urls.html}/${repo.owner}/${repo.name}/pull/${record.number}.patch`,
      merged_at: pull.merged_at,
    };
  }
  return json;
}

function reactions(url: string): Json {
  return {
    url,
    total_count: 0,
    "+1": 0,
    "-1": 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

export function comment(
  urls: Urls,
  state: GithubState,
  repo: RepoRecord,
  record: CommentRecord,
): Json {
  const api = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const kind = repo.issues[String(record.issue)]?.pull ? "pull" : "issues";
  return {
    url: `${api}/issues/comments/${record.id}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/${kind}/${record.issue}#issuecomment-${record.id}`,
    issue_url: `${api}/issues/${record.issue}`,
    id: record.id,
    node_id: record.node_id,
    user: simpleUser(urls, state.users[record.user]),
    created_at: record.created_at,
    updated_at: record.updated_at,
    author_association: record.user === repo.owner ? "OWNER" : "NONE",
    body: record.body,
    reactions: reactions(`${api}/issues/comments/${record.id}/reactions`),
    performed_via_github_app: null,
  };
}

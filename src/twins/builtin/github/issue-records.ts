/**
 * Issues as records, shared by the issue and pull request routes (a pull request is an issue
 * too): creating, labelling, assigning, closing and reopening, and their webhook events.
 */
import type { GithubApi } from "./api.js";
import { notFound, validationFailed } from "./http.js";
import { issue } from "./render/issues.js";
import { pullHeadSha, pullRequest } from "./render/pulls.js";
import {
  type IssueRecord,
  newId,
  nodeId,
  type PullRecord,
  type RepoRecord,
  type UserRecord,
} from "./state.js";
import { emit } from "./webhooks.js";

export function issueOf(repo: RepoRecord, number: number): IssueRecord {
  const record = repo.issues[String(number)];
  if (!record) throw notFound();
  return record;
}

export function newIssue(
  api: GithubApi,
  repo: RepoRecord,
  user: UserRecord,
  title: string,
  body: string | null,
  pull: boolean,
): IssueRecord {
  const { twin } = api;
  const created = api.now();
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
}

/** Labels by name (or `{ name }`), reusing a label another issue of the repository has. */
export function setLabels(api: GithubApi, repo: RepoRecord, record: IssueRecord, raw: unknown[]) {
  const { twin } = api;
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
}

export function setAssignees(api: GithubApi, record: IssueRecord, raw: unknown[]) {
  const logins = raw.filter((entry): entry is string => typeof entry === "string");
  const unknown = logins.find((login) => !api.twin.state.users[login]);
  if (unknown !== undefined || logins.length !== raw.length)
    throw validationFailed([
      { resource: "Issue", field: "assignees", code: "invalid", value: unknown ?? null },
    ]);
  record.assignees = [...new Set(logins)];
}

/** Closes an issue; a pull request's head and base shas are fixed at that moment. */
export function closeIssue(
  api: GithubApi,
  repo: RepoRecord,
  record: IssueRecord,
  user: UserRecord,
  reason: string | null,
) {
  record.state = "closed";
  record.state_reason = reason ?? "completed";
  record.closed_at = api.now();
  record.closed_by = user.login;
  record.updated_at = record.closed_at;
  const pull = repo.pulls[String(record.number)];
  if (pull) {
    pull.head_sha = pullHeadSha(repo, pull, true);
    pull.base_sha = repo.branches[pull.base] ?? pull.base_sha;
  }
}

/** Reopens an issue; a merged pull request cannot be. */
export function reopenIssue(api: GithubApi, repo: RepoRecord, record: IssueRecord) {
  const pull = repo.pulls[String(record.number)];
  if (pull?.merged)
    throw validationFailed([{ resource: "PullRequest", field: "state", code: "invalid" }]);
  record.state = "open";
  record.state_reason = "reopened";
  record.closed_at = null;
  record.closed_by = null;
  record.updated_at = api.now();
}

export const pullEvent = (
  api: GithubApi,
  repo: RepoRecord,
  user: UserRecord,
  pull: PullRecord,
  action: string,
) =>
  emit(api, "pull_request", repo, user, {
    action,
    number: pull.number,
    pull_request: pullRequest(api.urls, api.twin.state, repo, pull, true),
  });

export const issueEvent = (
  api: GithubApi,
  repo: RepoRecord,
  user: UserRecord,
  record: IssueRecord,
  action: string,
) =>
  emit(api, "issues", repo, user, { action, issue: issue(api.urls, api.twin.state, repo, record) });

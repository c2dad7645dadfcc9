/** A check run as GitHub's REST API writes it, with the twin's own app as its `app`. */
import type { CheckRunRecord, GithubState, RepoRecord } from "../state.js";
import { pullHeadSha } from "./pulls.js";
import type { Json, Urls } from "./urls.js";
import { simpleUser } from "./users.js";

export function checkRun(
  urls: Urls,
  state: GithubState,
  repo: RepoRecord,
  run: CheckRunRecord,
): Json {
  const api = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const pulls = Object.values(repo.pulls)
    .filter((pull) => {
      const record = repo.issues[String(pull.number)];
      return record?.state === "open" && pullHeadSha(repo, pull, true) === run.head_sha;
    })
    .map((pull) => ({
      id: pull.id,
      number: pull.number,
      url: `${api}/pulls/${pull.number}`,
      head: {
        ref: pull.head,
        sha: run.head_sha,
        repo: { id: repo.id, url: api, name: repo.name },
      },
      base: {
        ref: pull.base,
        sha: repo.branches[pull.base] ?? pull.base_sha,
        repo: { id: repo.id, url: api, name: repo.name },
      },
    }));
  return {
    id: run.id,
    name: run.name,
    node_id: run.node_id,
    head_sha: run.head_sha,
    external_id: run.external_id,
    url: `${api}/check-runs/${run.id}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: run.details_url,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      ...run.output,
      annotations_count: 0,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    check_suite: { id: run.suite_id },
    app: twinApp(urls, state, run.user),
    pull_requests: pulls,
  };
}

function twinApp(urls: Urls, state: GithubState, login: string): Json {
  const owner = state.users[login];
  return {
    id: 1,
    slug: "darkfactory-twin",
    node_id: "A_kwDOAAAAAQ",
    client_id: "Iv1.twin",
    owner: simpleUser(urls, owner),
    name: "darkfactory twin",
    description: "The check runs of the github twin",
    external_url: urls.html,
    html_url: `${urls.html}/apps/darkfactory-twin`,
    created_at: owner?.created_at ?? "2026-01-01T00:00:00Z",
    updated_at: owner?.created_at ?? "2026-01-01T00:00:00Z",
    permissions: { checks: "write", contents: "write", issues: "write", metadata: "read" },
    events: ["check_run", "push", "pull_request"],
  };
}

/** A repository as GitHub's REST API writes it (`repository`, `full-repository`). */
import type { GithubState, RepoRecord } from "../state.js";
import type { Json, Urls } from "./urls.js";
import { simpleUser } from "./users.js";

export function repository(
  urls: Urls,
  state: GithubState,
  repo: RepoRecord,
  options: { full?: boolean; viewer?: string } = {},
): Json {
  const fullName = `${repo.owner}/${repo.name}`;
  const api = `${urls.api}/repos/${fullName}`;
  const openIssues = Object.values(repo.issues).filter((issue) => issue.state === "open").length;
  const size = Object.values(repo.commits).length;
  const admin = options.viewer === repo.owner;
  const push = admin || (options.viewer ? repo.collaborators.includes(options.viewer) : false);
  const json: Json = {
    id: repo.id,
    node_id: repo.node_id,
    name: repo.name,
    full_name: fullName,
    private: repo.private,
    owner: simpleUser(urls, state.users[repo.owner]),
    html_url: `${urls.html}/${fullName}`,
    description: repo.description,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: repo.created_at,
    updated_at: repo.updated_at,
    pushed_at: repo.pushed_at,
    git_url: `${urls.html.replace(/^https?:/, "git:")}/${fullName}.git`,
    ssh_url: `git@${new URL(urls.html).host}:${fullName}.git`,
    clone_url: `${urls.html}/${fullName}.git`,
    svn_url: `${urls.html}/${fullName}`,
    homepage: repo.homepage,
    size,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: repo.has_issues,
    has_projects: repo.has_projects,
    has_downloads: true,
    has_wiki: repo.has_wiki,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.default_branch,
  };
  if (options.viewer !== undefined)
    json.permissions = { admin, maintain: admin, push, triage: push, pull: true };
  if (options.full) {
    json.network_count = 0;
    json.subscribers_count = 0;
    json.allow_squash_merge = true;
    json.allow_merge_commit = true;
    json.allow_rebase_merge = true;
    json.allow_auto_merge = false;
    json.delete_branch_on_merge = false;
    json.allow_update_branch = false;
    json.temp_clone_token = null;
  }
  return json;
}

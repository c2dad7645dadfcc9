/**
 * The github twin's resources as GitHub's REST API writes them (the shapes of
 * `@octokit/openapi`'s `full-repository`, `pull-request`, `issue`, `check-run`...).
 * URLs in bodies use `apiUrl`/`htmlUrl` (default api.github.com and github.com), never the
 * twin's port, so journals stay identical from run to run.
 */
import {
  ancestors,
  blobSha,
  type CheckRunRecord,
  type CommentRecord,
  type CommitRecord,
  type GithubState,
  type IssueRecord,
  lineStats,
  mergeBase,
  type PullRecord,
  type RepoRecord,
  threeWayMerge,
  treeSha,
  type UserRecord,
} from "./state.js";

export interface Urls {
  api: string;
  html: string;
}

type Json = Record<string, unknown>;

export function simpleUser(urls: Urls, user: UserRecord | undefined): Json | null {
  if (!user) return null;
  const api = `${urls.api}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: user.node_id,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `${urls.html}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: "User",
    user_view_type: "public",
    site_admin: false,
  };
}

export function privateUser(urls: Urls, state: GithubState, user: UserRecord): Json {
  const owned = Object.values(state.repos).filter((repo) => repo.owner === user.login);
  const privateCount = owned.filter((repo) => repo.private).length;
  return {
    ...simpleUser(urls, user),
    user_view_type: "private",
    name: user.name,
    company: null,
    blog: "",
    location: null,
    email: user.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    notification_email: user.email,
    public_repos: owned.length - privateCount,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: user.created_at,
    updated_at: user.created_at,
    private_gists: 0,
    total_private_repos: privateCount,
    owned_private_repos: privateCount,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

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

function contentLinks(urls: Urls, repo: RepoRecord, path: string, ref: string, sha: string) {
  const fullName = `${repo.owner}/${repo.name}`;
  const self = `${urls.api}/repos/${fullName}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`;
  const git = `${urls.api}/repos/${fullName}/git/blobs/${sha}`;
  const html = `${urls.html}/${fullName}/blob/${ref}/${encodePath(path)}`;
  return { self, git, html };
}

const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

export function contentFile(
  urls: Urls,
  repo: RepoRecord,
  path: string,
  ref: string,
  base64: string,
  withContent: boolean,
): Json {
  const sha = blobSha(base64);
  const links = contentLinks(urls, repo, path, ref, sha);
  const json: Json = {
    type: "file",
    name: path.split("/").pop() ?? path,
    path,
    sha,
    size: Buffer.from(base64, "base64").length,
    url: links.self,
    html_url: links.html,
    git_url: links.git,
    download_url: `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${ref}/${encodePath(path)}`,
    _links: links,
  };
  if (withContent) {
    // GitHub wraps the base64 at 60 columns with newlines.
    json.content = (base64.match(/.{1,60}/g) ?? [""]).join("\n") + (base64 ? "\n" : "");
    json.encoding = "base64";
  }
  return json;
}

export function contentDir(urls: Urls, repo: RepoRecord, path: string, ref: string, sha: string) {
  const links = contentLinks(urls, repo, path, ref, sha);
  return {
    type: "dir",
    name: path.split("/").pop() ?? path,
    path,
    sha,
    size: 0,
    url: links.self,
    html_url: links.html.replace("/blob/", "/tree/"),
    git_url: links.git.replace("/blobs/", "/trees/"),
    download_url: null,
    _links: {
      self: links.self,
      git: links.git.replace("/blobs/", "/trees/"),
      html: links.html.replace("/blob/", "/tree/"),
    },
  };
}

/** The `commit` object of the contents API's `file-commit` answer. */
export function gitCommit(urls: Urls, repo: RepoRecord, commit: CommitRecord): Json {
  const api = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    sha: commit.sha,
    node_id: commit.node_id,
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: treeSha(commit.tree), url: `${api}/git/trees/${treeSha(commit.tree)}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${sha}`,
    })),
    verification: {
      verified: false,
      reason: "unsigned",
      signature: null,
      payload: null,
      verified_at: null,
    },
  };
}

/** The REST `commit` schema (GET /repos/{o}/{r}/commits/{ref}, a branch's `commit`). */
export function restCommit(
  urls: Urls,
  state: GithubState,
  repo: RepoRecord,
  commit: CommitRecord,
): Json {
  const api = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const user = simpleUser(urls, state.users[commit.by]) ?? {};
  const git = gitCommit(urls, repo, commit);
  return {
    sha: commit.sha,
    node_id: commit.node_id,
    commit: {
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      tree: git.tree,
      url: git.url,
      comment_count: 0,
      verification: git.verification,
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: git.html_url,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    author: user,
    committer: user,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${urls.html}/${repo.owner}/${repo.name}/commit/${sha}`,
    })),
  };
}

export function shortBranch(urls: Urls, repo: RepoRecord, name: string, sha: string): Json {
  return {
    name,
    commit: { sha, url: `${urls.api}/repos/${repo.owner}/${repo.name}/commits/${sha}` },
    protected: false,
  };
}

export function branch(
  urls: Urls,
  state: GithubState,
  repo: RepoRecord,
  name: string,
  commit: CommitRecord,
): Json {
  const api = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    name,
    commit: restCommit(urls, state, repo, commit),
    _links: {
      self: `${api}/branches/${encodeURIComponent(name)}`,
      html: `${urls.html}/${repo.owner}/${repo.name}/tree/${name}`,
    },
    protected: false,
    protection: {
      enabled: false,
      required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
    },
    protection_url: `${api}/branches/${encodeURIComponent(name)}/protection`,
  };
}

export function gitRef(urls: Urls, repo: RepoRecord, name: string, sha: string): Json {
  const api = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    ref: `refs/heads/${name}`,
    node_id: `REF_kwDO${Buffer.from(`${repo.id}:refs/heads/${name}`).toString("base64url").slice(0, 24)}`,
    url: `${api}/git/refs/heads/${encodePath(name)}`,
    object: { sha, type: "commit", url: `${api}/git/commits/${sha}` },
  };
}

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

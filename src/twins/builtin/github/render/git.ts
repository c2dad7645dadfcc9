/** Git content as GitHub's REST API writes it: contents, commits, branches and refs. */
import {
  blobSha,
  type CommitRecord,
  type GithubState,
  type RepoRecord,
  treeSha,
} from "../state.js";
import type { Json, Urls } from "./urls.js";
import { simpleUser } from "./users.js";

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

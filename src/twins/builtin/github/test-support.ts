/** What the github twin's test files share: a served twin with Octokit clients, and seeding. */
import { Octokit } from "@octokit/rest";
import { type CreateTwinOptions, createTwin } from "../../index.js";
import { githubTwin } from "./index.js";

export const quiet = { debug() {}, info() {}, warn() {}, error() {} };
export const b64 = (text: string) => Buffer.from(text).toString("base64");
export const unb64 = (text: string) => Buffer.from(text, "base64").toString("utf8");

/** Servers a test opened; each test file closes them with `afterEach(closeOpened)`. */
export const opened: Array<{ close(): Promise<void> }> = [];
export async function closeOpened(): Promise<void> {
  while (opened.length > 0) await opened.pop()?.close();
}

export async function start(options: CreateTwinOptions = {}) {
  const twin = createTwin(githubTwin, { seed: "github-test", ...options });
  const served = await twin.serve();
  opened.push(served);
  const client = (token = "ghp_octocat") =>
    new Octokit({ auth: token, baseUrl: served.url, log: quiet, request: { retries: 0 } });
  return { twin, served, octokit: client(), client };
}

/** Expects a rejected Octokit call; returns its status, body and headers. */
export async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    const e = error as {
      status: number;
      response?: { data: unknown; headers: Record<string, string> };
    };
    return {
      status: e.status,
      data: e.response?.data as { message: string; errors?: unknown[] },
      headers: e.response?.headers ?? {},
    };
  }
  throw new Error("expected the call to fail");
}

/** `octocat/<name>` with a README committed on `main`. */
export async function seedRepo(octokit: Octokit, name = "demo") {
  const { data: repo } = await octokit.rest.repos.createForAuthenticatedUser({ name });
  const readme = await octokit.rest.repos.createOrUpdateFileContents({
    owner: "octocat",
    repo: name,
    path: "README.md",
    message: "Add README",
    content: b64("# demo\n"),
  });
  return { repo, readme: readme.data };
}

/** A new branch `name` at the head of `from`. */
export async function branchFrom(octokit: Octokit, repo: string, name: string, from = "main") {
  const { data: base } = await octokit.rest.git.getRef({
    owner: "octocat",
    repo,
    ref: `heads/${from}`,
  });
  return octokit.rest.git.createRef({
    owner: "octocat",
    repo,
    ref: `refs/heads/${name}`,
    sha: base.object.sha,
  });
}

/** Creates or updates `path` on `branch`, fetching the sha an update needs. */
export async function writeFile(
  octokit: Octokit,
  repo: string,
  branch: string,
  path: string,
  text: string,
) {
  const existing = await octokit.rest.repos
    .getContent({ owner: "octocat", repo, path, ref: branch })
    .then((r) => (r.data as { sha: string }).sha)
    .catch(() => undefined);
  return octokit.rest.repos.createOrUpdateFileContents({
    owner: "octocat",
    repo,
    path,
    branch,
    message: `Write ${path}`,
    content: b64(text),
    ...(existing ? { sha: existing } : {}),
  });
}

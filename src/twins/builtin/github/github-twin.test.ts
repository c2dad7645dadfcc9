/**
 * The github twin, driven only through @octokit/rest over real HTTP on 127.0.0.1, its answers
 * checked against GitHub's own OpenAPI description (@octokit/openapi).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { type CreateTwinOptions, createTwin } from "../../index.js";
import { githubTwin } from "./index.js";
import { checkResponse } from "./openapi-check.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const b64 = (text: string) => Buffer.from(text).toString("base64");
const unb64 = (text: string) => Buffer.from(text, "base64").toString("utf8");

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
});

async function start(options: CreateTwinOptions = {}) {
  const twin = createTwin(githubTwin, { seed: "github-test", ...options });
  const served = await twin.serve();
  open.push(served);
  const client = (token = "ghp_octocat") =>
    new Octokit({ auth: token, baseUrl: served.url, log: quiet, request: { retries: 0 } });
  return { twin, served, octokit: client(), client };
}

/** Expects a rejected Octokit call; returns its status, body and headers. */
async function failure(call: Promise<unknown>) {
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

type Client = Octokit;

async function seedRepo(octokit: Client, name = "demo") {
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

async function branchFrom(octokit: Client, repo: string, name: string, from = "main") {
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

async function writeFile(
  octokit: Client,
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

describe("github twin: main flow", () => {
  it("repo → contents → branch → pull request → merge, with GitHub's errors on the way", async () => {
    const { octokit } = await start();
    const { repo, readme } = await seedRepo(octokit);
    expect(repo.full_name).toBe("octocat/demo");
    expect(readme.content?.path).toBe("README.md");

    const got = await octokit.rest.repos.getContent({
      owner: "octocat",
      repo: "demo",
      path: "README.md",
    });
    const file = got.data as { content: string; sha: string; encoding: string };
    expect(file.encoding).toBe("base64");
    expect(unb64(file.content)).toBe("# demo\n");
    expect(file.sha).toBe(readme.content?.sha);

    // Updating an existing file wants its sha, and the right one.
    const missing = await failure(
      octokit.rest.repos.createOrUpdateFileContents({
        owner: "octocat",
        repo: "demo",
        path: "README.md",
        message: "no sha",
        content: b64("x"),
      }),
    );
    expect(missing.status).toBe(422);
    expect(missing.data.message).toContain('"sha" wasn\'t supplied');
    const stale = await failure(
      octokit.rest.repos.createOrUpdateFileContents({
        owner: "octocat",
        repo: "demo",
        path: "README.md",
        message: "wrong sha",
        content: b64("x"),
        sha: "0".repeat(40),
      }),
    );
    expect(stale.status).toBe(409);
    const updated = await octokit.rest.repos.createOrUpdateFileContents({
      owner: "octocat",
      repo: "demo",
      path: "README.md",
      message: "Update README",
      content: b64("# demo\n\nUpdated.\n"),
      sha: file.sha,
    });
    expect(updated.status).toBe(200);

    const created = await branchFrom(octokit, "demo", "feature/x");
    expect(created.status).toBe(201);
    expect(created.data.ref).toBe("refs/heads/feature/x");
    const dup = await failure(branchFrom(octokit, "demo", "feature/x"));
    expect(dup.status).toBe(422);
    expect(dup.data.message).toBe("Reference already exists");

    await writeFile(octokit, "demo", "feature/x", "src/app.ts", "export const x = 1;\n");
    const branch = await octokit.rest.repos.getBranch({
      owner: "octocat",
      repo: "demo",
      branch: "feature/x",
    });
    expect(branch.data.commit.commit.message).toBe("Write src/app.ts");

    const pr = await octokit.rest.pulls.create({
      owner: "octocat",
      repo: "demo",
      title: "Add the app",
      head: "feature/x",
      base: "main",
      body: "Please merge",
    });
    expect(pr.status).toBe(201);
    expect(pr.data.number).toBe(1);
    expect(pr.data.mergeable).toBe(true);
    expect(pr.data.changed_files).toBe(1);
    expect(pr.data.additions).toBe(1);

    const again = await failure(
      octokit.rest.pulls.create({
        owner: "octocat",
        repo: "demo",
        title: "Again",
        head: "feature/x",
        base: "main",
      }),
    );
    expect(again.status).toBe(422);
    expect(JSON.stringify(again.data.errors)).toContain("A pull request already exists");
    const nothing = await failure(
      octokit.rest.pulls.create({
        owner: "octocat",
        repo: "demo",
        title: "Nothing",
        head: "main",
        base: "feature/x",
      }),
    );
    expect(nothing.status).toBe(422);
    expect(JSON.stringify(nothing.data.errors)).toContain("No commits between feature/x and main");
    const noHead = await failure(
      octokit.rest.pulls.create({
        owner: "octocat",
        repo: "demo",
        title: "No head",
        head: "nope",
        base: "main",
      }),
    );
    expect(noHead.status).toBe(422);
    expect(noHead.data.message).toBe("Validation Failed");

    const merged = await octokit.rest.pulls.merge({
      owner: "octocat",
      repo: "demo",
      pull_number: 1,
    });
    expect(merged.data.merged).toBe(true);
    const after = await octokit.rest.pulls.get({ owner: "octocat", repo: "demo", pull_number: 1 });
    expect(after.data.merged).toBe(true);
    expect(after.data.state).toBe("closed");
    expect(after.data.merge_commit_sha).toBe(merged.data.sha);
    const twice = await failure(
      octokit.rest.pulls.merge({ owner: "octocat", repo: "demo", pull_number: 1 }),
    );
    expect(twice.status).toBe(405);

    const onMain = await octokit.rest.repos.getContent({
      owner: "octocat",
      repo: "demo",
      path: "src/app.ts",
    });
    expect(unb64((onMain.data as { content: string }).content)).toBe("export const x = 1;\n");
    const mainRef = await octokit.rest.git.getRef({
      owner: "octocat",
      repo: "demo",
      ref: "heads/main",
    });
    expect(mainRef.data.object.sha).toBe(merged.data.sha);
    const commit = await octokit.rest.repos.getCommit({
      owner: "octocat",
      repo: "demo",
      ref: "main",
    });
    expect(commit.data.parents).toHaveLength(2);

    const dir = await octokit.rest.repos.getContent({ owner: "octocat", repo: "demo", path: "" });
    expect(
      (dir.data as Array<{ name: string; type: string }>).map((e) => `${e.type}:${e.name}`),
    ).toEqual(["file:README.md", "dir:src"]);

    const removed = await octokit.rest.repos.deleteFile({
      owner: "octocat",
      repo: "demo",
      path: "src/app.ts",
      message: "Remove the app",
      sha: (onMain.data as { sha: string }).sha,
    });
    expect(removed.data.content).toBeNull();
    const gone = await failure(
      octokit.rest.repos.getContent({ owner: "octocat", repo: "demo", path: "src/app.ts" }),
    );
    expect(gone.status).toBe(404);
    expect(gone.data.message).toBe("Not Found");
  });

  it("refuses a pull request whose branches changed the same file since the merge base", async () => {
    const { octokit } = await start();
    await seedRepo(octokit);
    await branchFrom(octokit, "demo", "a");
    await branchFrom(octokit, "demo", "b");
    await writeFile(octokit, "demo", "a", "README.md", "# from a\n");
    await writeFile(octokit, "demo", "b", "README.md", "# from b\n");
    await writeFile(octokit, "demo", "b", "other.txt", "b only\n");
    const first = await octokit.rest.pulls.create({
      owner: "octocat",
      repo: "demo",
      title: "A",
      head: "a",
      base: "main",
    });
    const second = await octokit.rest.pulls.create({
      owner: "octocat",
      repo: "demo",
      title: "B",
      head: "b",
      base: "main",
    });
    expect(second.data.mergeable).toBe(true);
    await octokit.rest.pulls.merge({
      owner: "octocat",
      repo: "demo",
      pull_number: first.data.number,
    });
    const stale = await octokit.rest.pulls.get({
      owner: "octocat",
      repo: "demo",
      pull_number: second.data.number,
    });
    expect(stale.data.mergeable).toBe(false);
    expect(stale.data.mergeable_state).toBe("dirty");
    const refused = await failure(
      octokit.rest.pulls.merge({ owner: "octocat", repo: "demo", pull_number: second.data.number }),
    );
    expect(refused.status).toBe(405);
    expect(refused.data.message).toBe("Pull Request is not mergeable");

    // A branch that changed a different file merges cleanly over the moved base.
    await branchFrom(octokit, "demo", "c", "b");
    const main = await octokit.rest.repos.getBranch({
      owner: "octocat",
      repo: "demo",
      branch: "main",
    });
    await octokit.rest.git.updateRef({
      owner: "octocat",
      repo: "demo",
      ref: "heads/c",
      sha: main.data.commit.sha,
      force: true,
    });
    await writeFile(octokit, "demo", "c", "c.txt", "c\n");
    const third = await octokit.rest.pulls.create({
      owner: "octocat",
      repo: "demo",
      title: "C",
      head: "c",
      base: "main",
    });
    const ok = await octokit.rest.pulls.merge({
      owner: "octocat",
      repo: "demo",
      pull_number: third.data.number,
      merge_method: "squash",
    });
    expect(ok.data.merged).toBe(true);
    const squashed = await octokit.rest.repos.getCommit({
      owner: "octocat",
      repo: "demo",
      ref: ok.data.sha,
    });
    expect(squashed.data.parents).toHaveLength(1);
    expect(squashed.data.commit.message).toBe("C (#3)");
  });
});

describe("github twin: issues, comments, check runs", () => {
  it("creates, lists, closes and comments issues; the issues list includes pull requests", async () => {
    const { octokit } = await start();
    await seedRepo(octokit);
    const issue = await octokit.rest.issues.create({
      owner: "octocat",
      repo: "demo",
      title: "Bug",
      body: "It breaks",
      labels: ["bug"],
      assignees: ["hubot"],
    });
    expect(issue.data.number).toBe(1);
    expect(issue.data.labels).toHaveLength(1);
    expect(issue.data.assignee?.login).toBe("hubot");
    await branchFrom(octokit, "demo", "fix");
    await writeFile(octokit, "demo", "fix", "fix.txt", "fixed\n");
    const pr = await octokit.rest.pulls.create({
      owner: "octocat",
      repo: "demo",
      title: "Fix",
      head: "fix",
      base: "main",
    });
    expect(pr.data.number).toBe(2);

    const list = await octokit.rest.issues.listForRepo({ owner: "octocat", repo: "demo" });
    expect(list.data.map((i) => [i.number, Boolean(i.pull_request)])).toEqual([
      [2, true],
      [1, false],
    ]);

    const hubot = new Octokit({
      auth: "ghp_hubot",
      baseUrl: octokit.request.endpoint.DEFAULTS.baseUrl,
      log: quiet,
    });
    const c1 = await hubot.rest.issues.createComment({
      owner: "octocat",
      repo: "demo",
      issue_number: 1,
      body: "Me too",
    });
    expect(c1.data.user?.login).toBe("hubot");
    await octokit.rest.issues.createComment({
      owner: "octocat",
      repo: "demo",
      issue_number: 1,
      body: "Fixing",
    });
    const comments = await octokit.rest.issues.listComments({
      owner: "octocat",
      repo: "demo",
      issue_number: 1,
    });
    expect(comments.data.map((c) => c.body)).toEqual(["Me too", "Fixing"]);

    const closed = await octokit.rest.issues.update({
      owner: "octocat",
      repo: "demo",
      issue_number: 1,
      state: "closed",
    });
    expect(closed.data.state).toBe("closed");
    expect(closed.data.comments).toBe(2);
    expect(closed.data.closed_at).toBe("2026-01-01T00:00:00Z");
    const open = await octokit.rest.issues.listForRepo({
      owner: "octocat",
      repo: "demo",
      state: "open",
    });
    expect(open.data.map((i) => i.number)).toEqual([2]);
    const all = await octokit.rest.issues.listForRepo({
      owner: "octocat",
      repo: "demo",
      state: "all",
    });
    expect(all.data).toHaveLength(2);
    const got = await octokit.rest.issues.get({ owner: "octocat", repo: "demo", issue_number: 1 });
    expect(got.data.state_reason).toBe("completed");
    const missing = await failure(
      octokit.rest.issues.get({ owner: "octocat", repo: "demo", issue_number: 99 }),
    );
    expect(missing.status).toBe(404);
  });

  it("creates, updates and lists check runs for a ref", async () => {
    const { octokit } = await start();
    const { readme } = await seedRepo(octokit);
    const sha = readme.commit.sha as string;
    const run = await octokit.rest.checks.create({
      owner: "octocat",
      repo: "demo",
      name: "ci",
      head_sha: sha,
      status: "in_progress",
    });
    expect(run.status).toBe(201);
    expect(run.data.status).toBe("in_progress");
    expect(run.data.conclusion).toBeNull();
    const done = await octokit.rest.checks.update({
      owner: "octocat",
      repo: "demo",
      check_run_id: run.data.id,
      conclusion: "success",
      output: { title: "All green", summary: "12 tests" },
    });
    expect(done.data.status).toBe("completed");
    expect(done.data.output.title).toBe("All green");
    await octokit.rest.checks.create({
      owner: "octocat",
      repo: "demo",
      name: "lint",
      head_sha: sha,
      conclusion: "failure",
    });
    const byBranch = await octokit.rest.checks.listForRef({
      owner: "octocat",
      repo: "demo",
      ref: "main",
    });
    expect(byBranch.data.total_count).toBe(2);
    const bySha = await octokit.rest.checks.listForRef({
      owner: "octocat",
      repo: "demo",
      ref: sha,
      check_name: "lint",
    });
    expect(bySha.data.check_runs.map((r) => r.conclusion)).toEqual(["failure"]);
    const bad = await failure(
      octokit.rest.checks.create({
        owner: "octocat",
        repo: "demo",
        name: "x",
        head_sha: "f".repeat(40),
      }),
    );
    expect(bad.status).toBe(422);
    const badConclusion = await failure(
      octokit.rest.checks.update({
        owner: "octocat",
        repo: "demo",
        check_run_id: run.data.id,
        conclusion: "great" as "success",
      }),
    );
    expect(badConclusion.status).toBe(422);
  });
});

describe("github twin: pagination, auth, rate limits", () => {
  it("paginates with Link headers, and octokit.paginate walks every page", async () => {
    const { octokit } = await start();
    await seedRepo(octokit);
    for (let i = 1; i <= 23; i++)
      await octokit.rest.issues.create({ owner: "octocat", repo: "demo", title: `Issue ${i}` });
    const first = await octokit.rest.issues.listForRepo({
      owner: "octocat",
      repo: "demo",
      per_page: 10,
    });
    expect(first.data).toHaveLength(10);
    const link = first.headers.link ?? "";
    expect(link).toMatch(
      /<http:\/\/127\.0\.0\.1:\d+\/repos\/octocat\/demo\/issues\?per_page=10&page=2>; rel="next"/,
    );
    expect(link).toMatch(/page=3>; rel="last"/);
    const last = await octokit.rest.issues.listForRepo({
      owner: "octocat",
      repo: "demo",
      per_page: 10,
      page: 3,
    });
    expect(last.data).toHaveLength(3);
    expect(last.headers.link).toMatch(/rel="prev".*rel="first"/);
    expect(last.headers.link).not.toContain('rel="next"');
    const every = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: "octocat",
      repo: "demo",
      per_page: 10,
    });
    expect(every.map((i) => i.number)).toEqual(Array.from({ length: 23 }, (_, i) => 23 - i));

    for (let i = 0; i < 7; i++) await branchFrom(octokit, "demo", `b${i}`);
    const branches = await octokit.paginate(octokit.rest.repos.listBranches, {
      owner: "octocat",
      repo: "demo",
      per_page: 3,
    });
    expect(branches.map((b) => b.name)).toEqual(["b0", "b1", "b2", "b3", "b4", "b5", "b6", "main"]);

    const sha = (
      await octokit.rest.repos.getBranch({ owner: "octocat", repo: "demo", branch: "main" })
    ).data.commit.sha;
    for (let i = 0; i < 5; i++)
      await octokit.rest.checks.create({
        owner: "octocat",
        repo: "demo",
        name: `check-${i}`,
        head_sha: sha,
      });
    const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
      owner: "octocat",
      repo: "demo",
      ref: sha,
      per_page: 2,
    });
    expect(runs.map((r) => r.name)).toEqual([
      "check-0",
      "check-1",
      "check-2",
      "check-3",
      "check-4",
    ]);

    for (let i = 0; i < 4; i++)
      await octokit.rest.repos.createForAuthenticatedUser({ name: `r${i}` });
    const repos = await octokit.paginate(octokit.rest.repos.listForAuthenticatedUser, {
      per_page: 2,
    });
    expect(repos.map((r) => r.name)).toEqual(["demo", "r0", "r1", "r2", "r3"]);
  });

  it("answers 401 in GitHub's words for bad or missing credentials", async () => {
    const { client, served } = await start();
    const bad = await failure(client("ghp_wrong").rest.users.getAuthenticated());
    expect(bad.status).toBe(401);
    expect(bad.data).toEqual({
      message: "Bad credentials",
      documentation_url: "https://docs.github.com/rest",
      status: "401",
    });
    const anonymous = new Octokit({ baseUrl: served.url, log: quiet });
    const none = await failure(anonymous.rest.repos.listForAuthenticatedUser());
    expect(none.status).toBe(401);
    expect(none.data.message).toBe("Requires authentication");
    const me = await client("ghp_hubot").rest.users.getAuthenticated();
    expect(me.data.login).toBe("hubot");
    const extra = await start({ options: { tokens: { ghp_extra: "mona" } } });
    expect((await extra.client("ghp_extra").rest.users.getAuthenticated()).data.login).toBe("mona");
  });

  it("sends consistent x-ratelimit headers from a request budget and refuses when it is spent", async () => {
    const { octokit } = await start({ options: { rateLimit: 4 } });
    const realNow = Math.floor(Date.now() / 1000);
    const first = await octokit.rest.users.getAuthenticated();
    const h = first.headers;
    expect(h["x-ratelimit-limit"]).toBe("4");
    expect(h["x-ratelimit-remaining"]).toBe("3");
    expect(h["x-ratelimit-used"]).toBe("1");
    expect(h["x-ratelimit-resource"]).toBe("core");
    const reset = Number(h["x-ratelimit-reset"]);
    expect(reset).toBeGreaterThanOrEqual(realNow + 3590);
    expect(reset).toBeLessThanOrEqual(realNow + 3610);
    const second = await octokit.rest.repos.listForAuthenticatedUser();
    expect(second.headers["x-ratelimit-remaining"]).toBe("2");
    expect(Number(second.headers["x-ratelimit-used"]) + 2).toBe(4);
    await octokit.rest.users.getAuthenticated();
    await octokit.rest.users.getAuthenticated();
    const spent = await failure(octokit.rest.users.getAuthenticated());
    expect(spent.status).toBe(403);
    expect(spent.headers["x-ratelimit-remaining"]).toBe("0");
    expect(spent.data.message).toMatch(/^API rate limit exceeded for user ID \d+\.$/);
    const limits = await octokit.rest.rateLimit.get();
    expect(limits.data.rate.remaining).toBe(0);
  });

  it("answers 429 with x-ratelimit-remaining: 0 under the runtime's rate-limit fault", async () => {
    const { octokit } = await start({
      faults: { rules: [{ route: "GET /user", rate_limit: { limit: 2, per_seconds: 60 } }] },
    });
    const ok = await octokit.rest.users.getAuthenticated();
    expect(ok.headers["x-ratelimit-limit"]).toBe("2");
    expect(ok.headers["x-ratelimit-remaining"]).toBe("1");
    await octokit.rest.users.getAuthenticated();
    const limited = await failure(octokit.rest.users.getAuthenticated());
    expect(limited.status).toBe(429);
    expect(limited.headers["x-ratelimit-remaining"]).toBe("0");
    expect(Number(limited.headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.data.message).toContain("API rate limit exceeded");
  });
});

describe("github twin: webhooks", () => {
  it("POSTs signed events, retried when the receiver fails", async () => {
    const secret = "whsec_twin";
    const received: Array<{
      event: string;
      delivery: string;
      body: string;
      valid: boolean;
      action?: string;
    }> = [];
    let failNext = true;
    const receiver: Server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        if (failNext) {
          failNext = false;
          res.writeHead(500).end();
          return;
        }
        // As @octokit/webhooks-methods verifies: HMAC-SHA256 of the raw body, compared in constant time.
        const expected = Buffer.from(
          `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
        );
        const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
        const valid = given.length === expected.length && timingSafeEqual(given, expected);
        received.push({
          event: String(req.headers["x-github-event"]),
          delivery: String(req.headers["x-github-delivery"]),
          body,
          valid,
          action: (JSON.parse(body) as { action?: string }).action,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    open.push({ close: () => new Promise<void>((resolve) => receiver.close(() => resolve())) });
    const port = (receiver.address() as AddressInfo).port;
    const { twin, octokit } = await start({
      options: {
        webhookUrl: `http://127.0.0.1:${port}/hook`,
        webhookSecret: secret,
        webhookBackoffMs: 10,
      },
    });
    await seedRepo(octokit);
    await twin.settle();
    expect(received.map((r) => r.event)).toEqual(["push"]); // the first attempt failed, the retry landed
    await branchFrom(octokit, "demo", "f");
    await writeFile(octokit, "demo", "f", "f.txt", "f\n");
    const pr = await octokit.rest.pulls.create({
      owner: "octocat",
      repo: "demo",
      title: "F",
      head: "f",
      base: "main",
    });
    await octokit.rest.issues.create({ owner: "octocat", repo: "demo", title: "I" });
    await octokit.rest.issues.createComment({
      owner: "octocat",
      repo: "demo",
      issue_number: 2,
      body: "c",
    });
    await octokit.rest.checks.create({
      owner: "octocat",
      repo: "demo",
      name: "ci",
      head_sha: pr.data.head.sha,
    });
    await octokit.rest.pulls.merge({ owner: "octocat", repo: "demo", pull_number: pr.data.number });
    await twin.settle();
    const seen = received.map((r) => `${r.event}${r.action ? `:${r.action}` : ""}`);
    for (const want of [
      "push",
      "pull_request:opened",
      "issues:opened",
      "issue_comment:created",
      "check_run:created",
      "pull_request:closed",
    ])
      expect(seen).toContain(want);
    expect(received.every((r) => r.valid)).toBe(true);
    expect(new Set(received.map((r) => r.delivery)).size).toBe(received.length);
    const closed = received.find((r) => r.action === "closed");
    const payload = JSON.parse(closed?.body ?? "{}") as {
      pull_request: { merged: boolean };
      repository: { full_name: string };
      sender: { login: string };
    };
    expect(payload.pull_request.merged).toBe(true);
    expect(payload.repository.full_name).toBe("octocat/demo");
    expect(payload.sender.login).toBe("octocat");
    const pushes = received
      .filter((r) => r.event === "push")
      .map((r) => JSON.parse(r.body) as { ref: string; commits: Array<{ added: string[] }> });
    expect(
      pushes.some((p) => p.ref === "refs/heads/f" && p.commits[0]?.added.includes("f.txt")),
    ).toBe(true);
  });
});

describe("github twin: webhook failures", () => {
  it("gives up after the bounded retries and reports the failure in deferredErrors", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { twin, octokit } = await start({
      options: {
        webhookUrl: `http://127.0.0.1:${port}/gone`,
        webhookSecret: "s",
        webhookAttempts: 2,
        webhookBackoffMs: 5,
      },
    });
    await octokit.rest.repos.createForAuthenticatedUser({ name: "demo" });
    await octokit.rest.repos.createOrUpdateFileContents({
      owner: "octocat",
      repo: "demo",
      path: "a.txt",
      message: "a",
      content: b64("a"),
    });
    await twin.settle();
    const failures = twin.deferredErrors();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error).toMatch(/^webhook push .* failed after 2 attempts/);
  });
});

describe("github twin: determinism, snapshots, bad requests", () => {
  async function scenario(octokit: Client) {
    await seedRepo(octokit);
    await branchFrom(octokit, "demo", "f");
    await writeFile(octokit, "demo", "f", "f.txt", "f\n");
    await octokit.rest.pulls.create({
      owner: "octocat",
      repo: "demo",
      title: "F",
      head: "f",
      base: "main",
    });
    await octokit.rest.issues.create({ owner: "octocat", repo: "demo", title: "I" });
    await octokit.rest.pulls.merge({ owner: "octocat", repo: "demo", pull_number: 1 });
    await octokit.rest.issues.listForRepo({ owner: "octocat", repo: "demo", state: "all" });
  }

  it("gives identical journals for one seed and the same calls", async () => {
    const a = await start({ seed: "same" });
    const b = await start({ seed: "same" });
    await scenario(a.octokit);
    await scenario(b.octokit);
    expect(a.twin.journal().length).toBeGreaterThan(8);
    expect(JSON.stringify(b.twin.journal())).toBe(JSON.stringify(a.twin.journal()));
    expect(JSON.stringify(b.twin.state())).toBe(JSON.stringify(a.twin.state()));
    const c = await start({ seed: "other" });
    await scenario(c.octokit);
    expect(JSON.stringify(c.twin.journal())).not.toBe(JSON.stringify(a.twin.journal()));
  });

  it("restores a snapshot: state, ids and clock", async () => {
    const { twin, octokit } = await start();
    await seedRepo(octokit);
    const saved = twin.snapshot();
    const first = await octokit.rest.issues.create({
      owner: "octocat",
      repo: "demo",
      title: "After",
    });
    twin.restore(saved);
    const none = await octokit.rest.issues.listForRepo({ owner: "octocat", repo: "demo" });
    expect(none.data).toEqual([]);
    const again = await octokit.rest.issues.create({
      owner: "octocat",
      repo: "demo",
      title: "After",
    });
    expect(again.data.id).toBe(first.data.id);
    expect(again.data.number).toBe(1);
    twin.reset();
    const gone = await failure(octokit.rest.repos.get({ owner: "octocat", repo: "demo" }));
    expect(gone.status).toBe(404);
  });

  it("answers invalid JSON, wrong types, unknown routes and huge bodies in GitHub's words", async () => {
    const { octokit, twin } = await start();
    await seedRepo(octokit);
    const raw = octokit.request as unknown as (
      route: string,
      parameters?: Record<string, unknown>,
    ) => Promise<unknown>;
    const badJson = await failure(
      raw("POST /user/repos", {
        data: '{"name": "x",',
        headers: { "content-type": "application/json" },
      }),
    );
    expect(badJson.status).toBe(400);
    expect(badJson.data.message).toBe("Problems parsing JSON");
    const wrongType = await failure(
      octokit.rest.issues.create({
        owner: "octocat",
        repo: "demo",
        title: 42 as unknown as string,
      }),
    );
    expect(wrongType.status).toBe(422);
    expect(wrongType.data.message).toContain("For 'properties/title', 42 is not a string.");
    const noTitle = await failure(
      raw("POST /repos/{owner}/{repo}/issues", { owner: "octocat", repo: "demo" }),
    );
    expect(noTitle.status).toBe(422);
    const notObject = await failure(
      raw("POST /repos/{owner}/{repo}/issues", {
        owner: "octocat",
        repo: "demo",
        data: "[1,2]",
        headers: { "content-type": "application/json" },
      }),
    );
    expect(notObject.status).toBe(422);
    const unknown = await failure(octokit.request("GET /no/such/route"));
    expect(unknown.status).toBe(404);
    expect(unknown.data).toEqual({
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
      status: "404",
    });
    const badNumber = await failure(octokit.request("GET /repos/octocat/demo/issues/abc"));
    expect(badNumber.status).toBe(404);
    const badBase64 = await failure(
      octokit.rest.repos.createOrUpdateFileContents({
        owner: "octocat",
        repo: "demo",
        path: "x.txt",
        message: "m",
        content: "%%%not base64",
      }),
    );
    expect(badBase64.status).toBe(422);
    const huge = await failure(
      octokit.rest.repos.createOrUpdateFileContents({
        owner: "octocat",
        repo: "demo",
        path: "big.bin",
        message: "big",
        content: b64("x".repeat(1_200_000)),
      }),
    );
    expect(huge.status).toBe(413);
    const otherRepo = await failure(octokit.rest.repos.get({ owner: "octocat", repo: "nope" }));
    expect(otherRepo.status).toBe(404);
    // Still standing, and every failure journaled with its status.
    expect((await octokit.rest.users.getAuthenticated()).status).toBe(200);
    expect(twin.journal().some((entry) => entry.status === 413)).toBe(true);
    expect(twin.journal().every((entry) => entry.status !== 500)).toBe(true);
  });

  it("keeps private repositories to their owner", async () => {
    const { octokit, client } = await start();
    await octokit.rest.repos.createForAuthenticatedUser({
      name: "secret",
      private: true,
      auto_init: true,
    });
    const hubot = client("ghp_hubot");
    expect((await failure(hubot.rest.repos.get({ owner: "octocat", repo: "secret" }))).status).toBe(
      404,
    );
    const mine = await octokit.rest.repos.get({ owner: "octocat", repo: "secret" });
    expect(mine.data.private).toBe(true);
    expect(mine.data.permissions?.admin).toBe(true);
  });
});

describe("github twin: answers match GitHub's OpenAPI description", () => {
  it("validates every implemented route's 200/201 body against its documented schema", async () => {
    const { octokit, twin } = await start();
    const problems: string[] = [];
    const covered = new Set<string>();
    const check = (method: string, path: string, status: number, data: unknown) => {
      covered.add(`${method} ${path}`);
      for (const problem of checkResponse(method, path, status, data))
        problems.push(`${method} ${path} ${status}: ${problem}`);
    };
    const o = { owner: "octocat", repo: "demo" };

    const repo = await octokit.rest.repos.createForAuthenticatedUser({
      name: "demo",
      auto_init: true,
    });
    check("POST", "/user/repos", 201, repo.data);
    check("GET", "/repos/{owner}/{repo}", 200, (await octokit.rest.repos.get(o)).data);
    check("GET", "/user/repos", 200, (await octokit.rest.repos.listForAuthenticatedUser()).data);
    check("GET", "/user", 200, (await octokit.rest.users.getAuthenticated()).data);

    const file = await octokit.rest.repos.getContent({ ...o, path: "README.md" });
    check("GET", "/repos/{owner}/{repo}/contents/{path}", 200, file.data);
    const put = await octokit.rest.repos.createOrUpdateFileContents({
      ...o,
      path: "docs/a.md",
      message: "a",
      content: b64("a\n"),
    });
    check("PUT", "/repos/{owner}/{repo}/contents/{path}", 201, put.data);
    const dir = await octokit.rest.repos.getContent({ ...o, path: "docs" });
    check("GET", "/repos/{owner}/{repo}/contents/{path}", 200, dir.data);
    const upd = await octokit.rest.repos.createOrUpdateFileContents({
      ...o,
      path: "docs/a.md",
      message: "a2",
      content: b64("a2\n"),
      sha: put.data.content?.sha as string,
    });
    check("PUT", "/repos/{owner}/{repo}/contents/{path}", 200, upd.data);

    const main = await octokit.rest.git.getRef({ ...o, ref: "heads/main" });
    check("GET", "/repos/{owner}/{repo}/git/ref/{ref}", 200, main.data);
    const ref = await octokit.rest.git.createRef({
      ...o,
      ref: "refs/heads/topic",
      sha: main.data.object.sha,
    });
    check("POST", "/repos/{owner}/{repo}/git/refs", 201, ref.data);
    check(
      "GET",
      "/repos/{owner}/{repo}/branches",
      200,
      (await octokit.rest.repos.listBranches(o)).data,
    );
    check(
      "GET",
      "/repos/{owner}/{repo}/branches/{branch}",
      200,
      (await octokit.rest.repos.getBranch({ ...o, branch: "main" })).data,
    );
    check(
      "GET",
      "/repos/{owner}/{repo}/commits/{ref}",
      200,
      (await octokit.rest.repos.getCommit({ ...o, ref: "main" })).data,
    );
    const topicFile = await octokit.rest.repos.createOrUpdateFileContents({
      ...o,
      path: "topic.txt",
      branch: "topic",
      message: "topic",
      content: b64("t\n"),
    });
    const del = await octokit.rest.repos.deleteFile({
      ...o,
      path: "docs/a.md",
      message: "rm",
      sha: upd.data.content?.sha as string,
    });
    check("DELETE", "/repos/{owner}/{repo}/contents/{path}", 200, del.data);
    check(
      "PATCH",
      "/repos/{owner}/{repo}/git/refs/{ref}",
      200,
      (
        await octokit.rest.git.updateRef({
          ...o,
          ref: "heads/topic",
          sha: topicFile.data.commit.sha as string,
        })
      ).data,
    );

    const pr = await octokit.rest.pulls.create({
      ...o,
      title: "Topic",
      head: "topic",
      base: "main",
      body: "b",
    });
    check("POST", "/repos/{owner}/{repo}/pulls", 201, pr.data);
    check("GET", "/repos/{owner}/{repo}/pulls", 200, (await octokit.rest.pulls.list(o)).data);
    check(
      "GET",
      "/repos/{owner}/{repo}/pulls/{pull_number}",
      200,
      (await octokit.rest.pulls.get({ ...o, pull_number: pr.data.number })).data,
    );

    const files = await octokit.rest.pulls.listFiles({ ...o, pull_number: pr.data.number });
    check("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", 200, files.data);
    expect(files.data.map((f) => [f.filename, f.status, f.additions])).toEqual([
      ["topic.txt", "added", 1],
    ]);
    const run = await octokit.rest.checks.create({ ...o, name: "ci", head_sha: pr.data.head.sha });
    check("POST", "/repos/{owner}/{repo}/check-runs", 201, run.data);
    const runDone = await octokit.rest.checks.update({
      ...o,
      check_run_id: run.data.id,
      conclusion: "success",
    });
    check("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", 200, runDone.data);
    check(
      "GET",
      "/repos/{owner}/{repo}/check-runs/{check_run_id}",
      200,
      (await octokit.rest.checks.get({ ...o, check_run_id: run.data.id })).data,
    );
    check(
      "GET",
      "/repos/{owner}/{repo}/commits/{ref}/check-runs",
      200,
      (await octokit.rest.checks.listForRef({ ...o, ref: "topic" })).data,
    );

    const merge = await octokit.rest.pulls.merge({ ...o, pull_number: pr.data.number });
    check("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", 200, merge.data);
    check(
      "GET",
      "/repos/{owner}/{repo}/pulls/{pull_number}",
      200,
      (await octokit.rest.pulls.get({ ...o, pull_number: pr.data.number })).data,
    );
    check(
      "PATCH",
      "/repos/{owner}/{repo}/pulls/{pull_number}",
      200,
      (await octokit.rest.pulls.update({ ...o, pull_number: pr.data.number, title: "Topic!" }))
        .data,
    );

    const issue = await octokit.rest.issues.create({
      ...o,
      title: "I",
      labels: ["bug"],
      assignees: ["octocat"],
    });
    check("POST", "/repos/{owner}/{repo}/issues", 201, issue.data);
    check(
      "GET",
      "/repos/{owner}/{repo}/issues",
      200,
      (await octokit.rest.issues.listForRepo({ ...o, state: "all" })).data,
    );
    check(
      "GET",
      "/repos/{owner}/{repo}/issues/{issue_number}",
      200,
      (await octokit.rest.issues.get({ ...o, issue_number: issue.data.number })).data,
    );
    check(
      "PATCH",
      "/repos/{owner}/{repo}/issues/{issue_number}",
      200,
      (await octokit.rest.issues.update({ ...o, issue_number: issue.data.number, state: "closed" }))
        .data,
    );
    const comment = await octokit.rest.issues.createComment({
      ...o,
      issue_number: issue.data.number,
      body: "c",
    });
    check("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 201, comment.data);
    check(
      "GET",
      "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      200,
      (await octokit.rest.issues.listComments({ ...o, issue_number: issue.data.number })).data,
    );
    check(
      "GET",
      "/users/{username}",
      200,
      (await octokit.rest.users.getByUsername({ username: "hubot" })).data,
    );
    check("GET", "/rate_limit", 200, (await octokit.rest.rateLimit.get()).data);

    // Errors too: a 404 is a basic-error, a 422 a validation-error.
    const missing = await failure(octokit.rest.issues.get({ ...o, issue_number: 999 }));
    check("GET", "/repos/{owner}/{repo}/issues/{issue_number}", 404, missing.data);
    const invalid = await failure(
      octokit.rest.pulls.create({ ...o, title: "x", head: "nope", base: "main" }),
    );
    check("POST", "/repos/{owner}/{repo}/pulls", 422, invalid.data);

    expect(problems).toEqual([]);
    expect([...covered].sort()).toEqual(
      [
        "GET /user",
        "GET /users/{username}",
        "GET /rate_limit",
        "POST /user/repos",
        "GET /user/repos",
        "GET /repos/{owner}/{repo}",
        "GET /repos/{owner}/{repo}/contents/{path}",
        "PUT /repos/{owner}/{repo}/contents/{path}",
        "DELETE /repos/{owner}/{repo}/contents/{path}",
        "GET /repos/{owner}/{repo}/branches",
        "GET /repos/{owner}/{repo}/branches/{branch}",
        "GET /repos/{owner}/{repo}/commits/{ref}",
        "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
        "POST /repos/{owner}/{repo}/git/refs",
        "GET /repos/{owner}/{repo}/git/ref/{ref}",
        "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
        "POST /repos/{owner}/{repo}/pulls",
        "GET /repos/{owner}/{repo}/pulls",
        "GET /repos/{owner}/{repo}/pulls/{pull_number}",
        "PATCH /repos/{owner}/{repo}/pulls/{pull_number}",
        "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
        "POST /repos/{owner}/{repo}/issues",
        "GET /repos/{owner}/{repo}/issues",
        "GET /repos/{owner}/{repo}/issues/{issue_number}",
        "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
        "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
        "POST /repos/{owner}/{repo}/check-runs",
        "GET /repos/{owner}/{repo}/check-runs/{check_run_id}",
        "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
      ].sort(),
    );
    expect(twin.journal().filter((entry) => entry.status >= 400)).toHaveLength(2);
  });

  it("has a checker that does catch a missing field, a wrong type and a bad enum", async () => {
    const { octokit } = await start();
    await octokit.rest.repos.createForAuthenticatedUser({ name: "demo", auto_init: true });
    const { data } = await octokit.rest.issues.create({
      owner: "octocat",
      repo: "demo",
      title: "I",
    });
    const route = "/repos/{owner}/{repo}/issues/{issue_number}";
    expect(checkResponse("GET", route, 200, data)).toEqual([]);
    const { node_id: _dropped, ...withoutNodeId } = data;
    expect(checkResponse("GET", route, 200, withoutNodeId)).toEqual([
      "$.node_id: required, missing",
    ]);
    expect(checkResponse("GET", route, 200, { ...data, number: "1" })[0]).toContain("$.number");
    expect(
      checkResponse("GET", route, 200, { ...data, user: { login: "x" } }).length,
    ).toBeGreaterThan(5);
    const run = "/repos/{owner}/{repo}/check-runs/{check_run_id}";
    const head = (
      await octokit.rest.repos.getBranch({ owner: "octocat", repo: "demo", branch: "main" })
    ).data.commit.sha;
    const created = await octokit.rest.checks.create({
      owner: "octocat",
      repo: "demo",
      name: "ci",
      head_sha: head,
    });
    expect(checkResponse("GET", run, 200, { ...created.data, status: "bogus" })[0]).toContain(
      "$.status",
    );
  });
});

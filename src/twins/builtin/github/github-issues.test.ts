/** The github twin through @octokit/rest: issues, comments and check runs. */
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import {
  branchFrom,
  closeOpened,
  failure,
  quiet,
  seedRepo,
  start,
  writeFile,
} from "./test-support.js";

afterEach(closeOpened);

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

/** The github twin's answers checked against GitHub's own OpenAPI description (@octokit/openapi). */
import { afterEach, describe, expect, it } from "vitest";
import { checkResponse } from "./openapi-check.js";
import { b64, closeOpened, failure, start } from "./test-support.js";

afterEach(closeOpened);

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

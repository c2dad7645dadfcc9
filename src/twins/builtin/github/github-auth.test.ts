/** The github twin through @octokit/rest: pagination, credentials and the request budget. */
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { branchFrom, closeOpened, failure, quiet, seedRepo, start } from "./test-support.js";

afterEach(closeOpened);

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

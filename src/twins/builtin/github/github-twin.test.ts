/**
 * The github twin, driven only through @octokit/rest over real HTTP on 127.0.0.1: determinism,
 * snapshots, bad requests and private repositories. The other areas have their own test files;
 * `github-openapi.test.ts` checks the answers against GitHub's own OpenAPI description.
 */
import type { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import {
  b64,
  branchFrom,
  closeOpened,
  failure,
  seedRepo,
  start,
  writeFile,
} from "./test-support.js";

afterEach(closeOpened);

describe("github twin: determinism, snapshots, bad requests", () => {
  async function scenario(octokit: Octokit) {
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

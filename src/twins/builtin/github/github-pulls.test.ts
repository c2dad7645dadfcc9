/** The github twin through @octokit/rest: repository, contents, branches, pull requests and merges. */
import { afterEach, describe, expect, it } from "vitest";
import {
  b64,
  branchFrom,
  closeOpened,
  failure,
  seedRepo,
  start,
  unb64,
  writeFile,
} from "./test-support.js";

afterEach(closeOpened);

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

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../common/index.js";
import { diffChange, parseNameStatus, parseNumstat } from "./diff-change.js";
import { createTestRepo, type TestRepo } from "./test-repo.fixture.js";

const options = {
  protectedPaths: [".github/**", "**/auth/**"],
  infrastructurePaths: ["Dockerfile", "**/*.tf"],
};
const story = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");

let repo: TestRepo;
let branchPoint: string;
// The repository is only read, so one serves every test.
beforeAll(() => {
  repo = createTestRepo();
  branchPoint = repo.commit("initial", {
    "a.txt": "one\ntwo\nthree\n",
    "story.md": `${story}\n`,
    "old.txt": "going\n",
    ".github/workflows/ci.yml": "on: push\n",
    "src/auth/session.ts": "export const x = 1;\n",
  });
  repo.git("checkout", "-q", "-b", "feature");
  repo.commit("the change", {
    "a.txt": "one\nTWO\nthree\nfour\n",
    "story.md": null,
    "docs/story of ü.md": `${story}\nline 20\n`,
    "old.txt": null,
    "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0, 255]),
    ".github/workflows/ci.yml": "on: [push, pull_request]\n",
    "infra/main.tf": 'resource "x" "y" {}\n',
  });
  // main moves on after the branch: none of this is part of the change.
  repo.git("checkout", "-q", "main");
  repo.commit("main moves on", { "later.txt": "later\n", "a.txt": "one\ntwo\nthree\nmain\n" });
});
afterAll(() => repo.remove());

describe("diffChange", () => {
  it("describes what head adds since it branched from base, file by file", async () => {
    const change = await diffChange(repo.dir, "main", "feature", options);
    expect(change.base).toBe(branchPoint);
    expect(change.head).toBe(repo.git("rev-parse", "feature").trim());
    const byPath = new Map(change.files.map((f) => [f.path, f]));
    expect(byPath.get("a.txt")).toEqual({
      path: "a.txt",
      status: "modified",
      from: "",
      additions: 2,
      deletions: 1,
      binary: false,
    });
    expect(byPath.get("docs/story of ü.md")).toMatchObject({
      status: "renamed",
      from: "story.md",
      additions: 1,
      deletions: 0,
    });
    expect(byPath.get("logo.png")).toMatchObject({ status: "added", binary: true, additions: 0 });
    expect(byPath.get("old.txt")).toMatchObject({ status: "deleted", deletions: 1 });
    expect(change.added.sort()).toEqual(["infra/main.tf", "logo.png"]);
    expect(change.modified.sort()).toEqual([
      ".github/workflows/ci.yml",
      "a.txt",
      "docs/story of ü.md",
    ]);
    expect(change.deleted).toEqual(["old.txt"]);
    expect(change.paths).toContain("story.md");
    expect(change.paths).not.toContain("later.txt");
    expect(change.lines_added).toBe(2 + 1 + 1 + 1);
    expect(change.lines_deleted).toBe(1 + 1 + 1);
    expect(change.protected).toEqual([".github/workflows/ci.yml"]);
    expect(change.infrastructure).toEqual(["infra/main.tf"]);
  });

  it("sees nothing when head is where base branched from", async () => {
    const change = await diffChange(repo.dir, "main", branchPoint, options);
    expect(change.files).toEqual([]);
    expect(change.protected).toEqual([]);
  });

  it("names a revision that does not exist", async () => {
    const error = await diffChange(repo.dir, "main", "no-such-branch", options).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain("no commit named no-such-branch");
    await expect(diffChange(repo.dir, "--output=x", "main", options)).rejects.toThrow(
      "no commit named --output=x",
    );
  });

  it("refuses a folder that is not a git repository", async () => {
    const plain = mkdtempSync(join(tmpdir(), "df-plain-"));
    try {
      await expect(diffChange(plain, "main", "feature", options)).rejects.toBeInstanceOf(
        InputError,
      );
      await expect(diffChange(join(plain, "missing"), "a", "b", options)).rejects.toThrow(
        "is not a git repository",
      );
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe("diff output parsers", () => {
  it("reads renames, copies and type changes from --name-status -z", () => {
    expect(parseNameStatus("R087\0a.ts\0b.ts\0M\0c.ts\0T\0d\0C100\0e\0f\0")).toEqual([
      { path: "b.ts", status: "renamed", from: "a.ts" },
      { path: "c.ts", status: "modified", from: "" },
      { path: "d", status: "modified", from: "" },
      { path: "f", status: "added", from: "" },
    ]);
  });

  it("reads counts, binaries and renames from --numstat -z", () => {
    const counts = parseNumstat("3\t1\ta.ts\0-\t-\tlogo.png\0" + "2\t0\t\0old.ts\0new.ts\0");
    expect(counts.get("a.ts")).toEqual({ additions: 3, deletions: 1, binary: false });
    expect(counts.get("logo.png")).toEqual({ additions: 0, deletions: 0, binary: true });
    expect(counts.get("new.ts")).toEqual({ additions: 2, deletions: 0, binary: false });
    expect(counts.has("old.ts")).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../common/index.js";
import { collectGitFacts } from "./collect-git-facts.js";
import { scanSecrets } from "./secret-scan.js";
import { createTestRepo, type TestRepo } from "./test-repo.fixture.js";

// Built by concatenation so this file holds no literal secret.
const oldToken = ["ghp_", "o".repeat(10), "B1c2D3e4F5g6H7i8J9k0L1m2N3"].join("");
const newToken = ["ghp_", "n".repeat(10), "B1c2D3e4F5g6H7i8J9k0L1m2N3"].join("");
const options = {
  protectedPaths: [".github/**"],
  infrastructurePaths: ["Dockerfile"],
  maxFileBytes: 4096,
};
const sumTest = [
  'import { expect, it } from "vitest";',
  'it("adds", () => {',
  "  expect(1 + 1).toBe(2);",
  "  expect(2 + 2).toBe(4);",
  "});",
  "",
].join("\n");
const manifest = (deps: Record<string, string>) =>
  JSON.stringify({ name: "p", dependencies: deps }, null, 2);

const headLock = JSON.stringify(
  {
    lockfileVersion: 3,
    packages: {
      "node_modules/hono": {},
      "node_modules/left-pad": {},
      "node_modules/left-pad/node_modules/tiny": { integrity: `sha1-${newToken}` },
    },
  },
  null,
  2,
);

let repo: TestRepo;
beforeAll(() => {
  repo = createTestRepo();
  repo.commit("initial", {
    "package.json": manifest({ hono: "^4.0.0" }),
    "package-lock.json": JSON.stringify({
      lockfileVersion: 3,
      packages: { "node_modules/hono": {} },
    }),
    "src/sum.test.ts": sumTest,
    "test/old.test.ts": sumTest,
    "src/config.ts": `export const token = "${oldToken}";\n`,
  });
  repo.git("checkout", "-q", "-b", "feature");
  repo.commit("the change", {
    "package.json": manifest({ hono: "^4.0.0", "left-pad": "1.3.0" }),
    "package-lock.json": headLock,
    "src/sum.test.ts": sumTest
      .replace('it("adds"', 'it.skip("adds"')
      .replace("  expect(2 + 2).toBe(4);\n", "")
      .replace("toBe(2)", "toBeTruthy()"),
    "test/old.test.ts": null,
    "src/config.ts": `export const token = "${oldToken}";\nexport const other = "${newToken}";\n`,
    "assets/huge.txt": "x".repeat(5000),
    ".github/workflows/ci.yml": "on: push\n",
  });
  // base moves on with a secret of its own: not part of the change.
  repo.git("checkout", "-q", "main");
  repo.commit("main moves on", { "src/main-only.ts": `export const t = "${newToken}";\n` });
});
afterAll(() => repo.remove());

describe("collectGitFacts", () => {
  it("collects the change, weakened tests, dependencies and new secrets of base...head", async () => {
    const facts = await collectGitFacts(repo.dir, "main", "feature", options);
    expect(facts.change.paths).not.toContain("src/main-only.ts");
    expect(facts.change.protected).toEqual([".github/workflows/ci.yml"]);

    expect(facts.tests.files_deleted).toEqual(["test/old.test.ts"]);
    expect(facts.tests.skipped.map((f) => [f.file, f.line])).toEqual([["src/sum.test.ts", 2]]);
    expect(facts.tests.assertions_removed.map((f) => f.message)).toEqual([
      "1 assertion removed (2 → 1)",
    ]);
    expect(facts.tests.loosened.map((f) => f.line)).toEqual([3]);
    expect(facts.tests.weakened).toBe(true);

    expect(facts.dependencies).toEqual({
      added: [{ name: "left-pad", spec: "1.3.0", dev: false }],
      removed: [],
      changed: [],
      lock_added: ["tiny"],
    });

    // Only the token the change added; not the one already there, nor the lock file's.
    expect(facts.secrets).toEqual([
      {
        file: "src/config.ts",
        line: 2,
        message: "found a GitHub token",
        rule: "@secretlint/secretlint-rule-github",
      },
    ]);
    expect(JSON.stringify(facts)).not.toContain(newToken.slice(4));
    // The lock file was skipped, not clean: scanned, it would have been reported.
    const lines = new Set(headLock.split("\n").map((_, i) => i + 1));
    expect(
      await scanSecrets([{ path: "package-lock.json", text: headLock, addedLines: lines }]),
    ).toHaveLength(1);

    expect(facts.problems).toEqual([
      "assets/huge.txt is larger than 4096 bytes: not read for test changes or secrets",
    ]);
  });

  it("reports a malformed package.json at head as a problem", async () => {
    repo.git("checkout", "-q", "-b", "broken", "feature");
    repo.commit("break it", { "package.json": '{ "dependencies": { "x": ' });
    repo.git("checkout", "-q", "main");
    const facts = await collectGitFacts(repo.dir, "main", "broken", options);
    expect(facts.problems).toContain("package.json is not valid JSON");
    expect(facts.dependencies.removed).toEqual(["hono"]);
  });

  it("throws InputError for a revision that does not exist", async () => {
    await expect(collectGitFacts(repo.dir, "nope", "feature", options)).rejects.toBeInstanceOf(
      InputError,
    );
  });
});

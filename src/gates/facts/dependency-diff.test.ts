import { describe, expect, it } from "vitest";
import { diffDependencies } from "./dependency-diff.js";

const manifest = (sections: Record<string, Record<string, string>>) =>
  JSON.stringify({ name: "product", version: "1.0.0", ...sections });
const lock = (...keys: string[]) =>
  JSON.stringify({
    lockfileVersion: 3,
    packages: Object.fromEntries([
      ["", { name: "product" }],
      ...keys.map((k) => [k, { version: "1.0.0" }]),
    ]),
  });

describe("diffDependencies", () => {
  const before = {
    packageJson: manifest({
      dependencies: { hono: "^4.0.0", zod: "^3.0.0" },
      devDependencies: { vitest: "^3.0.0" },
    }),
    lock: lock(
      "node_modules/hono",
      "node_modules/zod",
      "node_modules/vitest",
      "node_modules/tinyspy",
    ),
  };

  it("reports packages added, removed and re-ranged, across all four sections", () => {
    const after = {
      packageJson: manifest({
        dependencies: { hono: "^4.1.0", "left-pad": "1.3.0" },
        optionalDependencies: { fsevents: "^2.0.0" },
        peerDependencies: { react: ">=18" },
        devDependencies: { vitest: "^3.0.0", "@types/node": "^20" },
      }),
      lock: before.lock,
    };
    const diff = diffDependencies(before, after);
    expect(diff.added).toEqual([
      { name: "left-pad", spec: "1.3.0", dev: false },
      { name: "fsevents", spec: "^2.0.0", dev: false },
      { name: "react", spec: ">=18", dev: false },
      { name: "@types/node", spec: "^20", dev: true },
    ]);
    expect(diff.removed).toEqual(["zod"]);
    expect(diff.changed).toEqual(["hono"]);
    expect(diff.problems).toEqual([]);
  });

  it("calls a package moved from dev to runtime changed, and one in both sections not dev", () => {
    const after = {
      packageJson: manifest({
        dependencies: { hono: "^4.0.0", zod: "^3.0.0", vitest: "^3.0.0", chalk: "^5" },
        devDependencies: { vitest: "^3.0.0", chalk: "^5" },
      }),
    };
    const diff = diffDependencies(before, after);
    expect(diff.changed).toEqual(["vitest"]);
    expect(diff.added).toEqual([{ name: "chalk", spec: "^5", dev: false }]);
  });

  it("lists packages new in the lock file only, by name, scoped and nested included", () => {
    const after = {
      packageJson: manifest({
        dependencies: { hono: "^4.0.0", zod: "^3.0.0", express: "^5" },
        devDependencies: { vitest: "^3.0.0" },
      }),
      lock: lock(
        "node_modules/hono",
        "node_modules/zod",
        "node_modules/vitest",
        "node_modules/express",
        "node_modules/express/node_modules/debug",
        "node_modules/@babel/core",
        // moved, not new
        "node_modules/vitest/node_modules/tinyspy",
      ),
    };
    expect(diffDependencies(before, after).lock_added).toEqual(["@babel/core", "debug"]);
  });

  it("skips workspace links in the lock file and reads a version 1 lock", () => {
    const v3 = JSON.stringify({
      lockfileVersion: 3,
      packages: { "node_modules/mine": { link: true }, "node_modules/theirs": {} },
    });
    expect(diffDependencies({}, { lock: v3 }).lock_added).toEqual(["theirs"]);
    const v1 = JSON.stringify({
      lockfileVersion: 1,
      dependencies: { a: { version: "1.0.0", dependencies: { b: { version: "2.0.0" } } } },
    });
    expect(diffDependencies({}, { lock: v1 }).lock_added).toEqual(["a", "b"]);
  });

  it("reports a malformed package.json as a problem without its text, and does not throw", () => {
    const secretish = ["npm_", "x".repeat(36)].join("");
    const diff = diffDependencies(before, { packageJson: `{"token": "${secretish}", oops` });
    expect(diff.problems).toEqual(["package.json is not valid JSON"]);
    expect(diff.problems.join()).not.toContain(secretish);
    expect(diff.added).toEqual([]);
    expect(diffDependencies(before, { packageJson: "[]" }).problems).toEqual([
      "package.json is not a JSON object",
    ]);
    expect(
      diffDependencies(before, { packageJson: JSON.stringify({ dependencies: ["a"] }) }).problems,
    ).toEqual(['package.json: "dependencies" is not an object']);
  });

  it("sees every dependency removed when package.json goes, and none when neither side has one", () => {
    expect(diffDependencies(before, {}).removed).toEqual(["hono", "zod", "vitest"]);
    expect(diffDependencies({}, {})).toEqual({
      added: [],
      removed: [],
      changed: [],
      lock_added: [],
      problems: [],
    });
  });
});

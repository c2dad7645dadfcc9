import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockfileProblems, vetInstallFiles } from "./vet-lockfile.js";

const lock = (packages: Record<string, Record<string, unknown>>) =>
  JSON.stringify({ lockfileVersion: 3, packages: { "": { name: "p" }, ...packages } });
const good = {
  resolved: "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
  integrity: "sha512-x",
};

describe("lockfileProblems", () => {
  it("accepts registry tarballs with integrity, and bundled packages", () => {
    expect(
      lockfileProblems(
        lock({
          "node_modules/left-pad": good,
          "node_modules/a/node_modules/b": { inBundle: true },
        }),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      "a git dependency",
      { resolved: "git+ssh://git@github.com/x/y.git#abc" },
      /resolves to git\+ssh/,
    ],
    ["a file dependency", { resolved: "file:../evil" }, /resolves to file:/],
    [
      "another host",
      { resolved: "https://evil.example/x.tgz", integrity: "sha512-x" },
      /evil\.example/,
    ],
    [
      "a registry path lookalike",
      { resolved: "https://registry.npmjs.org.evil/x.tgz", integrity: "sha512-x" },
      /not to/,
    ],
    ["no integrity", { resolved: good.resolved }, /no integrity/],
    ["a link", { link: true, resolved: "../../etc" }, /is a link/],
  ])("refuses %s", (_name, entry, problem) => {
    expect(lockfileProblems(lock({ "node_modules/x": entry }))).toEqual([
      expect.stringMatching(problem),
    ]);
  });

  it("refuses what it cannot read, and lockfile version 1", () => {
    expect(lockfileProblems("{")).toEqual(["package-lock.json is not JSON"]);
    expect(lockfileProblems(JSON.stringify({ lockfileVersion: 1, dependencies: {} }))).toEqual([
      expect.stringContaining("lockfileVersion 2 or 3"),
    ]);
  });

  it("uses the configured registry", () => {
    const mirror = { resolved: "https://npm.internal/left-pad.tgz", integrity: "sha512-x" };
    expect(lockfileProblems(lock({ "node_modules/x": mirror }), "https://npm.internal")).toEqual(
      [],
    );
    expect(lockfileProblems(lock({ "node_modules/x": good }), "https://npm.internal")).toHaveLength(
      1,
    );
  });
});

describe("vetInstallFiles", () => {
  const inFolder = (files: (dir: string) => void, check: (dir: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), "df-vet-"));
    try {
      files(dir);
      check(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("accepts a clean lock file, and a folder with none", () => {
    inFolder(
      (dir) => writeFileSync(join(dir, "package-lock.json"), lock({ "node_modules/x": good })),
      (dir) => expect(() => vetInstallFiles(dir)).not.toThrow(),
    );
    inFolder(
      () => {},
      (dir) => expect(() => vetInstallFiles(dir)).not.toThrow(),
    );
  });

  it("refuses a shrinkwrap, which npm would prefer to the checked lock file", () => {
    inFolder(
      (dir) => {
        writeFileSync(join(dir, "package-lock.json"), lock({ "node_modules/x": good }));
        writeFileSync(
          join(dir, "npm-shrinkwrap.json"),
          lock({ "node_modules/x": { resolved: "git+ssh://x" } }),
        );
      },
      (dir) => expect(() => vetInstallFiles(dir)).toThrow(/npm-shrinkwrap\.json/),
    );
  });

  it("refuses a lock file that is a symlink, without reading where it points", () => {
    inFolder(
      (dir) => symlinkSync("/etc/passwd", join(dir, "package-lock.json")),
      (dir) => expect(() => vetInstallFiles(dir)).toThrow(/not a regular file/),
    );
  });

  it("refuses a lock file with a git dependency, naming it", () => {
    inFolder(
      (dir) =>
        writeFileSync(
          join(dir, "package-lock.json"),
          lock({ "node_modules/dep": { resolved: "git+ssh://git@x/y.git" } }),
        ),
      (dir) => expect(() => vetInstallFiles(dir)).toThrow(/dep resolves to git\+ssh/),
    );
  });
});

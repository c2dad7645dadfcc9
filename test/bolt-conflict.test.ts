// Two tasks of one bolt that change the same line of the same file, through the real CLI.
//
// Tasks build one after the other, each in a worktree branched from the integration branch
// as it stands when the task starts, so on the build's first visit a later task always sees
// the earlier one's work and cannot conflict with it. A conflict needs a second visit, where
// each task builds on its own last commit: here a's first attempt brings a test that fails,
// the bolt goes back to build, a fixes its line and b changes that same line on top of its
// older copy. b's merge conflicts; the orchestrator resets b's branch to the integration
// branch and gives b the conflict as feedback, and b's next attempt, made on top of a's fix,
// merges and releases.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../src/store/index.js";
import {
  acmeHome,
  type BoltHome,
  type BoltRun,
  expectAuditIntact,
  git,
  PATH_WITH_ONE_RETRY,
  readAudit,
  runRefunds,
  trailersOf,
  writeScripts,
} from "./fixtures/bolt/bolt-home.js";

const VERSION = "src/version.js";
const versionTest = `import assert from "node:assert/strict";
import { test } from "node:test";
import { version } from "../src/version.js";

test("the version is 1.1.0", () => assert.equal(version, "1.1.0"));
`;
const bannerJs =
  'import { version } from "./version.js";\n\nexport const banner = ["acme-billing", version].join(" ");\n';
const finalVersion = 'export const version = "1.1.0"; // checked by b\n';

describe("two tasks changing the same line", () => {
  let fx: BoltHome;
  let bolt: BoltRun;
  let audit: AuditEntry[];
  const integration = () => `factory/${bolt.bolt}/integration`;

  beforeAll(async () => {
    fx = await acmeHome("df-bolt-conflict-");
    writeScripts(
      fx.home,
      {
        version: 1,
        plan: [
          { id: "a", title: "Version 1.1.0", instructions: "Add src/version.js, at 1.1.0." },
          { id: "b", title: "A banner", instructions: "Add a banner naming the version." },
        ],
      },
      {
        version: 1,
        tasks: {
          a: {
            attempts: [
              {
                actions: [
                  // A slip: the test wants 1.1.0.
                  { write: { path: VERSION, content: 'export const version = "1.0.0";\n' } },
                  { write: { path: "test/version.test.js", content: versionTest } },
                  { finish: { summary: "src/version.js" } },
                ],
              },
              {
                actions: [
                  { edit: { path: VERSION, old: '"1.0.0"', new: '"1.1.0"' } },
                  { finish: { summary: "src/version.js at 1.1.0" } },
                ],
              },
            ],
          },
          b: {
            attempts: [
              {
                actions: [
                  {
                    write: {
                      path: "src/banner.js",
                      content: bannerJs,
                    },
                  },
                  { finish: { summary: "src/banner.js" } },
                ],
              },
              {
                // Its own copy of the line still says 1.0.0: this collides with a's fix.
                actions: [
                  {
                    edit: {
                      path: VERSION,
                      old: 'export const version = "1.0.0";\n',
                      new: 'export const version = "1.0.0"; // checked by b\n',
                    },
                  },
                  { finish: { summary: "marked the version checked" } },
                ],
              },
              {
                // From the integration branch: the line as a left it.
                actions: [
                  { read: { path: VERSION } },
                  {
                    edit: {
                      path: VERSION,
                      old: 'export const version = "1.1.0";\n',
                      new: finalVersion,
                    },
                  },
                  { finish: { summary: "marked the version checked, on top of a" } },
                ],
              },
            ],
          },
        },
      },
    );
    bolt = await runRefunds(fx.home);
    audit = await readAudit(fx.home);
  }, 120_000);
  afterAll(() => fx?.cleanup());

  it("succeeds after one failed test run and one conflict", () => {
    expect(bolt.run.code, bolt.run.stderr).toBe(0);
    expect(bolt.status).toBe("succeeded");
    expect(bolt.completed).toEqual(PATH_WITH_ONE_RETRY);
    expect(bolt.run.stderr).toContain(`b conflicts in ${VERSION}; back to its builder`);
  });

  it("audits the conflict, naming task b, its attempt and the file", () => {
    const conflicts = audit.filter((e) => e.action === "build.conflict");
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      subject: `bolt:${bolt.bolt}/build`,
      data: { task: "b", attempt: 2, files: [VERSION] },
    });
  });

  it("gives b a third attempt, after the conflict, that starts from a's fix", () => {
    const seqOfConflict = audit.find((e) => e.action === "build.conflict")?.seq ?? 0;
    const third = audit.filter(
      (e) =>
        e.actor === "agent:builder" &&
        (e.data as { task?: string; attempt?: number }).task === "b" &&
        (e.data as { attempt?: number }).attempt === 3,
    );
    expect(third.map((e) => e.action)).toEqual(["agent.read", "agent.edit", "agent.finish"]);
    expect(third.every((e) => e.seq > seqOfConflict)).toBe(true);
    // The line it replaced is a's: it was not in b's own branch before the reset.
    expect(third[1]).toMatchObject({ data: { path: VERSION, replacements: 1 } });
    const runDir = join(fx.home, ".factory", "runs", bolt.bolt, "build");
    const report = JSON.parse(readFileSync(join(runDir, "b.attempt-3.json"), "utf8"));
    expect(report).toMatchObject({
      status: "finished",
      summary: "marked the version checked, on top of a",
    });
    // Attempt 2's work was made and committed, then left behind by the reset.
    expect(JSON.parse(readFileSync(join(runDir, "b.attempt-2.json"), "utf8"))).toMatchObject({
      status: "finished",
    });
    expect(trailersOf(fx.product, `factory/${bolt.bolt}/b`, "--no-merges")).toContainEqual(
      expect.objectContaining({ Bolt: bolt.bolt, Task: "b", Attempt: "3" }),
    );
  });

  it("merges a, b, a's fix and b's third attempt onto the integration branch, in that order", () => {
    const merges = trailersOf(fx.product, "--first-parent", "--merges", integration())
      .reverse()
      .map((t) => ({ bolt: t.Bolt, task: t.Integrates, attempt: t.Attempt }));
    expect(merges).toEqual([
      { bolt: bolt.bolt, task: "a", attempt: "1" },
      { bolt: bolt.bolt, task: "b", attempt: "1" },
      { bolt: bolt.bolt, task: "a", attempt: "2" },
      { bolt: bolt.bolt, task: "b", attempt: "3" },
    ]);
    // b's second attempt never reached it.
    const onIntegration = trailersOf(fx.product, integration(), "--no-merges");
    expect(onIntegration.filter((t) => t.Task === "b").map((t) => t.Attempt)).toEqual(["3", "1"]);
  });

  it("releases once onto main, with the trailers naming the bolt, the intent and the audit head", () => {
    const releases = trailersOf(fx.product, "--first-parent", "--merges", "main");
    expect(releases).toHaveLength(1);
    const [release] = releases;
    expect(release).toMatchObject({ Bolt: bolt.bolt, Intent: "refunds" });
    const [seq, hash] = (release?.["Audit-Head"] ?? "").split(":");
    // The head it names is an entry of the log, as the log holds it.
    expect(audit.find((e) => e.seq === Number(seq))?.hash).toBe(hash);
    const parents = git(fx.product, "rev-list", "--parents", "-n", "1", "main").trim().split(" ");
    expect(parents[2]).toBe(git(fx.product, "rev-parse", integration()).trim());
  });

  it("ends with b's change on top of a's on main", async () => {
    expect(git(fx.product, "show", `main:${VERSION}`)).toBe(finalVersion);
    expect(git(fx.product, "show", "main:test/version.test.js")).toBe(versionTest);
    expect(git(fx.product, "show", "main:src/banner.js")).toBe(bannerJs);
    await expectAuditIntact(fx.home, audit.length);
  });
});

// `factory scenarios lint` as a user meets it: the acme home's holdout scenarios pass, and a
// broken one is refused by file and line (exit 2).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { factory } from "./support/factory-cli.js";

let work: string;
let home: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "df-scenarios-cli-"));
  const init = await factory(["init", join(work, "acme"), "--example", "acme"], { cwd: work });
  expect(init.code, init.stderr).toBe(0);
  home = join(work, "acme", "factory");
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("factory scenarios lint", () => {
  it("checks the home's scenarios against its twins and its intents' requirements", async () => {
    const run = await factory(["scenarios", "lint", "--json"], { cwd: home });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { ok: boolean; files: { id: string }[] };
    expect(doc.ok).toBe(true);
    expect(doc.files.map((f) => f.id).sort()).toEqual([
      "billing-hears-of-refunds",
      "idempotent-retry",
      "partial-refunds-add-up",
      "refund-happy-path",
      "refund-over-captured",
      "stripe-faults",
    ]);
  });

  it("refuses a broken scenario by file, line and rule, and says how to fix it", async () => {
    writeFileSync(
      join(home, "scenarios", "zz-broken.yaml"),
      `id: zz-broken
title: a twin that does not exist
requirements: [REQ-1]
twins: [{ name: strpe }]
product: { start: npm start, port: 3000 }
steps:
  - http: { path: "/refunds/{{nope}}" }
`,
    );
    const run = await factory(["scenarios", "lint"], { cwd: home });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/scenarios\/zz-broken\.yaml:4:\d+.*no twin named strpe/);
    expect(run.stdout).toMatch(/zz-broken\.yaml:7:\d+.*\{\{nope\}\} is not set here/);
    expect(run.stdout).toContain("✗ 7 scenarios: 2 errors");
  });
});

/**
 * The example intents shipped with the package. Lines and columns are asserted exactly,
 * so a regression in locating problems fails here, rule by rule.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { countBySeverity } from "../common/index.js";
import { type IntentLintResult, lintIntentFile } from "./index.js";
import { where, withRule } from "./intent-text.fixture.js";

const example = (path: string) =>
  lintIntentFile(fileURLToPath(new URL(`../../examples/${path}`, import.meta.url)));

describe("examples/acme/factory/intents/refunds.md", () => {
  it("lints clean and parses into a full intent", async () => {
    const result = await example("acme/factory/intents/refunds.md");
    expect(result.diagnostics).toEqual([]);
    const intent = result.intent;
    expect(intent?.requirements.length).toBeGreaterThanOrEqual(4);
    expect(intent?.edge_cases.length).toBeGreaterThan(0);
    expect(intent?.security.length).toBeGreaterThan(0);
    expect(intent?.rollout?.strategy).toBe("canary");
    expect(intent?.rollback?.conditions.length).toBeGreaterThan(0);
    expect(intent?.budget).toMatchObject({ usd: 40, wall_time_ms: 2 * 3_600_000 });
    expect(intent?.risk).toBe("medium");
    expect(intent?.id).toBe("refunds");
    expect(intent?.body).toMatch(/^# Refunds\n/);
  });
});

describe("examples/intents/vague-refunds.md", () => {
  let result: IntentLintResult;
  beforeAll(async () => {
    result = await example("intents/vague-refunds.md");
  });

  it("parses with warnings only", () => {
    expect(countBySeverity(result.diagnostics)).toEqual({ errors: 0, warnings: 8 });
    expect(result.intent?.id).toBe("vague-refunds");
  });

  it("points at each vague word: > block, plain, double-quoted, | block", () => {
    expect(withRule(result, "vague-word").map((d) => `${d.message}@${d.line}:${d.column}`)).toEqual(
      [
        '"simple" cannot be tested@6:18',
        '"as needed" cannot be tested@7:3',
        '"fast" cannot be tested@10:92',
        '"etc." cannot be tested@12:96',
        '"robust" cannot be tested@27:22',
      ],
    );
  });

  it("flags REQ-3 for having no observable outcome", () => {
    expect(where(withRule(result, "no-observable-outcome"))).toEqual([
      "no-observable-outcome@14:16",
    ]);
  });

  it("flags the negated and the numeric contradiction at the later requirement", () => {
    const found = withRule(result, "contradiction");
    expect(where(found)).toEqual(["contradiction@18:16", "contradiction@22:16"]);
    expect(found[0]?.message).toMatch(/^REQ-5 contradicts REQ-4 \(line 16\)/);
    expect(found[1]?.message).toMatch(/^REQ-7 contradicts REQ-6 \(line 20\)/);
  });
});

describe("examples/intents/broken-refunds.md", () => {
  it("reports every planted error at its line", async () => {
    const result = await example("intents/broken-refunds.md");
    expect(result.intent).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.rule}@${d.line}:${d.column} ${d.path}`)).toEqual([
      "duplicate-id@11:9 requirements.2.id",
      "requirement-without-acceptance@13:9 requirements.3.id",
      "schema@17:5 edge_cases.0.statment",
      "unknown-requirement@23:14 acceptance.1.covers.0",
      "budget-range@26:8 budget.usd",
      "budget-range@27:14 budget.wall_time",
      "risk-range@28:7 risk",
    ]);
    expect(countBySeverity(result.diagnostics).warnings).toBe(0);
    expect(result.diagnostics[2]?.hint).toBe('did you mean "statement"?');
  });
});

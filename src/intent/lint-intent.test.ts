import { describe, expect, it } from "vitest";
import { COVERED, HEADER, lintYaml, where, withRule } from "./intent-text.fixture.js";
import { parseIntent } from "./parse-intent.js";

describe("lintIntent", () => {
  it("passes a small clean intent, normalised, with its body", () => {
    const result = lintYaml(`${HEADER}${COVERED}budget:\n  wall_time: 1h30m\n`);
    expect(result.diagnostics).toEqual([]);
    expect(result.intent).toMatchObject({
      id: "refunds",
      risk: "medium",
      constraints: [],
      edge_cases: [],
      security: [],
      budget: { wall_time: "1h30m", wall_time_ms: 5_400_000 },
      body: "Some prose for agents.",
    });
  });

  it("reports a misspelt key once, with the key it meant", () => {
    const yaml = `${HEADER}${COVERED}edge_cases:\n  - id: EDGE-1\n    statment: THE SYSTEM SHALL respond 502.\n`;
    const schema = withRule(lintYaml(yaml), "schema");
    expect(where(schema)).toEqual(["schema@15:5"]);
    expect(schema[0]).toMatchObject({
      message: 'unknown field "statment" in edge_cases.0',
      hint: 'did you mean "statement"?',
      path: "edge_cases.0.statment",
    });
  });

  it("reports missing fields, wrong types and bad enums as schema errors", () => {
    const yaml = `version: 1\nid: Refunds API\ntitle: 7\n${COVERED}rollout:\n  strategy: big-bang\n`;
    const result = lintYaml(yaml);
    const byPath = Object.fromEntries(withRule(result, "schema").map((d) => [d.path, d]));
    expect(byPath.goal).toMatchObject({ message: 'missing required field "goal"' });
    expect(byPath.id).toMatchObject({ line: 3, column: 5 });
    expect(byPath.title).toMatchObject({ line: 4, hint: "expected string" });
    expect(byPath["rollout.strategy"]).toMatchObject({
      line: 13,
      hint: expect.stringContaining('"canary"'),
    });
    expect(result.intent).toBeUndefined();
  });

  it("still runs the rules when the schema fails", () => {
    const yaml = `${HEADER.replace("title: Refunds", "title: [oops]")}${COVERED}  - id: AC-2\n    covers: [REQ-9]\n    criterion: Given x, then 200.\n`;
    const result = lintYaml(yaml);
    expect(where(result.diagnostics)).toEqual(["schema@4:8", "unknown-requirement@14:14"]);
  });

  it("locates and hints every diagnostic, sorted by line", () => {
    const yaml = `version: 2\nid: refunds\ntitle: Refunds\ngoal: A fast refund.\nrisk: extreme\n${COVERED}`;
    const { diagnostics } = lintYaml(yaml);
    expect(diagnostics.length).toBeGreaterThanOrEqual(3);
    for (const d of diagnostics) {
      expect(d.file).toBe("t.md");
      expect(d.line).toBeGreaterThan(0);
      expect(d.column).toBeGreaterThan(0);
      expect(d.hint).toBeTruthy();
    }
    const lines = diagnostics.map((d) => d.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it("keeps the intent when there are only warnings", () => {
    const result = lintYaml(`${HEADER.replace("Refund a", "Quickly refund a")}${COVERED}`);
    expect(where(result.diagnostics)).toEqual(["vague-word@5:7"]);
    expect(result.intent?.goal).toContain("Quickly");
  });
});

describe("parseIntent", () => {
  it("returns the intent and its warnings when there are no errors", () => {
    const text = `---\n${HEADER}${COVERED}---\n`;
    const parsed = parseIntent(text.replace("one POST", "one fast POST"), "t.md");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.requirements).toHaveLength(1);
    expect(where(parsed.warnings)).toEqual(["vague-word@5:42"]);
  });

  it("returns the issues when any rule finds an error, even if the schema passed", () => {
    const text = `---\n${HEADER}${COVERED.replace("covers: [REQ-1]", "covers: [REQ-2]")}---\n`;
    const parsed = parseIntent(text, "t.md");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((d) => d.rule).sort()).toEqual([
      "requirement-without-acceptance",
      "unknown-requirement",
    ]);
  });
});

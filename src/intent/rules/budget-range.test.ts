import { describe, expect, it } from "vitest";
import { COVERED, HEADER, lintYaml, where, withRule } from "../intent-text.fixture.js";

// The budget or rollout starts on line 13, after HEADER and COVERED.
const lint = (yaml: string) => lintYaml(`${HEADER}${COVERED}${yaml}`);

describe("budget-range rule", () => {
  it("reports usd, tokens and wall_time out of range, and no schema echo", () => {
    const result = lint("budget:\n  usd: -5\n  tokens: 1.5\n  wall_time: 3 weeks\n");
    expect(where(result.diagnostics)).toEqual([
      "budget-range@14:8",
      "budget-range@15:11",
      "budget-range@16:14",
    ]);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      "budget.usd -5 must be a number above 0 and at most 100000",
      "budget.tokens 1.5 must be a whole number above 0 and at most 1000000000",
      'budget.wall_time "3 weeks" is not a duration',
    ]);
    expect(result.diagnostics.every((d) => d.severity === "error" && d.hint)).toBe(true);
  });

  it("checks each bound", () => {
    const bad = [
      "usd: 0",
      "usd: 100001",
      'usd: "ten"',
      "tokens: 0",
      "tokens: 2000000000",
      "wall_time: 8d",
      "wall_time: 0s",
      "wall_time: 90",
    ];
    for (const field of bad) {
      const valueColumn = 3 + field.indexOf(": ") + 2;
      expect(where(lint(`budget:\n  ${field}\n`).diagnostics), field).toEqual([
        `budget-range@14:${valueColumn}`,
      ]);
    }
  });

  it("accepts budgets in range", () => {
    const result = lint("budget:\n  usd: 100000\n  tokens: 1000000000\n  wall_time: 7d\n");
    expect(result.diagnostics).toEqual([]);
    expect(result.intent?.budget?.wall_time_ms).toBe(7 * 86_400_000);
  });
});

describe("budget-range rule on rollout stages", () => {
  const stages = (...items: string[]) =>
    lint(`rollout:\n  strategy: canary\n  stages:\n${items.map((i) => `    - ${i}\n`).join("")}`);

  it("reports a percent outside 0..100 and stages that do not increase", () => {
    const result = stages(
      "{ name: a, percent: 10 }",
      "{ name: b, percent: 150 }",
      "{ name: c, percent: 5 }",
      "{ name: d, percent: 5 }",
      "{ name: e, percent: 50, hold: soon }",
    );
    expect(where(withRule(result, "budget-range"))).toEqual([
      "budget-range@17:27",
      "budget-range@18:27",
      "budget-range@19:27",
      "budget-range@20:37",
    ]);
    expect(withRule(result, "budget-range").map((d) => d.message)).toEqual([
      "b: percent 150 is outside 0..100",
      "c: percent 5 does not increase on a (10)",
      "d: percent 5 does not increase on c (5)",
      'e: hold "soon" is not a duration',
    ]);
    expect(withRule(result, "schema")).toEqual([]);
  });

  it("accepts rising stages", () => {
    const result = stages("{ name: a, percent: 0, hold: 30m }", "{ name: b, percent: 100 }");
    expect(result.diagnostics).toEqual([]);
  });
});

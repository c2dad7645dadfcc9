import { describe, expect, it } from "vitest";
import { COVERED, HEADER, lintYaml, where } from "../intent-text.fixture.js";

describe("risk-range rule", () => {
  it("reports a risk off the scale instead of the schema's enum message", () => {
    const result = lintYaml(`${HEADER}${COVERED}risk: extreme\n`);
    expect(where(result.diagnostics)).toEqual(["risk-range@13:7"]);
    expect(result.diagnostics[0]).toMatchObject({
      severity: "error",
      message: 'risk "extreme" is not one of low, medium, high',
      hint: expect.stringContaining("low, medium, high"),
    });
    expect(result.intent).toBeUndefined();
  });

  it("suggests the level a typo meant, and catches a non-string", () => {
    expect(lintYaml(`${HEADER}${COVERED}risk: hgih\n`).diagnostics[0]?.hint).toBe(
      'did you mean "high"?',
    );
    expect(where(lintYaml(`${HEADER}${COVERED}risk: 3\n`).diagnostics)).toEqual([
      "risk-range@13:7",
    ]);
  });

  it("accepts each level, and defaults to medium", () => {
    for (const risk of ["low", "medium", "high"]) {
      const result = lintYaml(`${HEADER}${COVERED}risk: ${risk}\n`);
      expect(result.diagnostics).toEqual([]);
      expect(result.intent?.risk).toBe(risk);
    }
    expect(lintYaml(`${HEADER}${COVERED}`).intent?.risk).toBe("medium");
  });
});

import { describe, expect, it } from "vitest";
import { COVERED, HEADER, lintYaml, where, withRule } from "../intent-text.fixture.js";

describe("duplicate-id rule", () => {
  it("points at the second use, names the line of the first, across lists", () => {
    const yaml = `${HEADER}${COVERED}constraints:\n  - id: REQ-1\n    statement: THE SYSTEM SHALL use the provider client.\n`;
    const found = withRule(lintYaml(yaml), "duplicate-id");
    expect(where(found)).toEqual(["duplicate-id@14:9"]);
    expect(found[0]).toMatchObject({
      severity: "error",
      message: 'id "REQ-1" is already used in requirements on line 7',
      hint: 'give this one a new id, e.g. "REQ-2"',
    });
  });

  it("catches a requirement id reused inside the same list and by a criterion", () => {
    const yaml = `${HEADER}requirements:
  - id: REQ-1
    statement: WHEN asked THE SYSTEM SHALL respond 201.
  - id: REQ-1
    statement: WHEN asked twice THE SYSTEM SHALL respond 200.
acceptance:
  - id: REQ-1
    covers: [REQ-1]
    criterion: Given a payment, then the response is 201.
`;
    expect(where(withRule(lintYaml(yaml), "duplicate-id"))).toEqual([
      "duplicate-id@9:9",
      "duplicate-id@12:9",
    ]);
  });

  it("is quiet when every id is unique", () => {
    const yaml = `${HEADER}${COVERED}constraints:\n  - id: CON-1\n    statement: THE SYSTEM SHALL use the provider client.\n`;
    expect(withRule(lintYaml(yaml), "duplicate-id")).toEqual([]);
  });
});

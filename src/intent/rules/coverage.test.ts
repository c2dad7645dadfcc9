import { describe, expect, it } from "vitest";
import { COVERED, HEADER, lintYaml, where, withRule } from "../intent-text.fixture.js";

const twoRequirements = (covers: string) => `${HEADER}requirements:
  - id: REQ-1
    statement: WHEN asked THE SYSTEM SHALL respond 201.
  - id: REQ-2
    statement: WHEN asked for a refund THE SYSTEM SHALL respond 200.
constraints:
  - id: CON-1
    statement: THE SYSTEM SHALL use the provider client.
acceptance:
  - id: AC-1
    covers: ${covers}
    criterion: Given a payment, then the response is 201.
`;

describe("requirement-without-acceptance rule", () => {
  it("points at the id of each requirement no criterion covers", () => {
    const found = withRule(lintYaml(twoRequirements("[REQ-1]")), "requirement-without-acceptance");
    expect(where(found)).toEqual(["requirement-without-acceptance@9:9"]);
    expect(found[0]).toMatchObject({
      severity: "error",
      message: "no acceptance criterion covers REQ-2",
      hint: expect.stringContaining("covers: [REQ-2]"),
    });
  });

  it("is quiet when every requirement is covered", () => {
    const result = lintYaml(twoRequirements("[REQ-1, REQ-2]"));
    expect(withRule(result, "requirement-without-acceptance")).toEqual([]);
  });
});

describe("unknown-requirement rule", () => {
  it("points at the unknown id in covers, with a did-you-mean for a likely typo", () => {
    const found = withRule(lintYaml(twoRequirements("[REQ-1, REQ2]")), "unknown-requirement");
    expect(where(found)).toEqual(["unknown-requirement@16:21"]);
    expect(found[0]).toMatchObject({
      severity: "error",
      message: 'AC-1 covers "REQ2", which is not a requirement',
      hint: 'did you mean "REQ-2"?',
    });
  });

  it("lists the requirements when no single id is the likely one", () => {
    const found = withRule(
      lintYaml(twoRequirements("[REQ-1, REQ-2, REQ-7]")),
      "unknown-requirement",
    );
    expect(found[0]?.hint).toBe("cover one of REQ-1, REQ-2, or add requirement REQ-7");
  });

  it("says when the id belongs to a constraint", () => {
    const found = withRule(
      lintYaml(twoRequirements("[REQ-1, REQ-2, CON-1]")),
      "unknown-requirement",
    );
    expect(found[0]?.message).toBe(
      'AC-1 covers "CON-1", which is in constraints, not a requirement',
    );
  });

  it("is quiet when every covered id is a requirement", () => {
    expect(withRule(lintYaml(`${HEADER}${COVERED}`), "unknown-requirement")).toEqual([]);
  });
});

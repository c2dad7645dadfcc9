import { describe, expect, it } from "vitest";
import { lintYaml, requirementsYaml, where, withRule } from "../intent-text.fixture.js";

const outcome = (...statements: string[]) =>
  withRule(lintYaml(requirementsYaml(...statements)), "no-observable-outcome");

describe("no-observable-outcome rule", () => {
  it("flags a requirement with no SHALL or MUST", () => {
    const found = outcome("Refunds go through the provider.");
    expect(where(found)).toEqual(["no-observable-outcome@8:16"]);
    expect(found[0]).toMatchObject({
      severity: "warning",
      message: expect.stringContaining("REQ-1 has no SHALL or MUST clause"),
      hint: expect.stringContaining("WHEN <trigger> THE SYSTEM SHALL <observable response>"),
    });
  });

  it("flags a weak verb with nothing measurable after it", () => {
    const found = outcome(
      "THE SYSTEM SHALL be secure.",
      "WHEN the provider fails THE SYSTEM SHALL handle errors.",
      "THE SYSTEM MUST support users.",
      "THE SYSTEM SHALL always try to improve refunds.",
    );
    expect(where(found)).toEqual([
      "no-observable-outcome@8:16",
      "no-observable-outcome@10:16",
      "no-observable-outcome@12:16",
      "no-observable-outcome@14:16",
    ]);
    expect(found[1]?.message).toBe(
      "REQ-2 only says the system shall handle something, with nothing measurable",
    );
  });

  it("accepts an observable response, or a weak verb with a number, literal or field", () => {
    const found = outcome(
      "WHEN a client sends POST /refunds THE SYSTEM SHALL respond 201.",
      "WHEN the amount is negative THE SYSTEM SHALL be rejected with 422.",
      'THE SYSTEM SHALL handle a declined refund by replying "declined".',
      "THE SYSTEM MUST ensure `amount` never exceeds `captured_amount`.",
      "THE SYSTEM SHALL NOT store card numbers.",
      "WHEN a refund succeeds THE SYSTEM SHALL be quiet and SHALL post to #billing.",
    );
    expect(found).toEqual([]);
  });

  it("reads requirements only", () => {
    const yaml = `${requirementsYaml("THE SYSTEM SHALL respond 201.")}constraints:
  - id: CON-1
    statement: THE SYSTEM SHALL be secure.
`;
    expect(withRule(lintYaml(yaml), "no-observable-outcome")).toEqual([]);
  });
});

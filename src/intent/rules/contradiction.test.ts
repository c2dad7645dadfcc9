import { describe, expect, it } from "vitest";
import { lintYaml, requirementsYaml, where, withRule } from "../intent-text.fixture.js";

const contradictions = (...statements: string[]) =>
  withRule(lintYaml(requirementsYaml(...statements)), "contradiction");

describe("contradiction rule", () => {
  it("finds a requirement that forbids what an earlier one requires, at the later one", () => {
    const found = contradictions(
      "WHEN a refund succeeds THE SYSTEM SHALL email the customer a receipt.",
      "WHEN a client sends GET /refunds THE SYSTEM SHALL respond 200.",
      "When a refund succeeds, the system shall not email the customer a receipt.",
    );
    expect(where(found)).toEqual(["contradiction@12:16"]);
    expect(found[0]).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(/^REQ-3 contradicts REQ-1 \(line 8\): .*forbids/),
      hint: expect.stringContaining("REQ-1"),
    });
  });

  it("knows MUST NOT and SHALL NEVER, and IF ... THEN triggers", () => {
    expect(
      where(
        contradictions(
          "IF the provider times out THEN THE SYSTEM SHALL retry the call.",
          "IF the provider times out, THE SYSTEM MUST NEVER retry the call.",
        ),
      ),
    ).toEqual(["contradiction@10:16"]);
    expect(
      where(contradictions("THE SYSTEM MUST NOT log tokens.", "THE SYSTEM SHALL log tokens.")),
    ).toEqual(["contradiction@10:16"]);
  });

  it("finds the same response with different numbers", () => {
    const found = contradictions(
      "WHEN a client sends GET /refunds THE SYSTEM SHALL respond within 200ms.",
      "WHEN a client sends GET /refunds THE SYSTEM SHALL respond within 500 ms.",
    );
    expect(where(found)).toEqual(["contradiction@10:16"]);
    expect(found[0]?.message).toContain("different numbers");
  });

  it("leaves different triggers, different responses and repeated requirements alone", () => {
    const found = contradictions(
      "WHEN a refund succeeds THE SYSTEM SHALL email the customer a receipt.",
      "WHEN a refund fails THE SYSTEM SHALL NOT email the customer a receipt.",
      "WHEN a refund succeeds THE SYSTEM SHALL post the refund to #billing.",
      "WHEN a refund succeeds THE SYSTEM SHALL email the customer a receipt.",
      "WHEN a client sends GET /refunds THE SYSTEM SHALL respond within 200 ms.",
      "WHEN a client sends POST /refunds THE SYSTEM SHALL respond within 500 ms.",
      "THE API SHALL respond within 900 ms.",
    );
    expect(found).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it("reads each unit and combinations", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1h 30m")).toBe(5_400_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
  });

  it("refuses what is not a duration", () => {
    for (const text of ["", "3 weeks", "2 hours", "10", "h", "5x", "1d2", "-1h"])
      expect(parseDuration(text), text).toBeUndefined();
  });
});

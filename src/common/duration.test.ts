import { expect, it } from "vitest";
import { parseDuration } from "./duration.js";

it("parses each unit and refuses what it cannot read", () => {
  expect(parseDuration("250ms")).toBe(250);
  expect(parseDuration("90s")).toBe(90_000);
  expect(parseDuration("1.5h")).toBe(5_400_000);
  expect(parseDuration("2d")).toBe(172_800_000);
  expect(parseDuration("3 weeks")).toBeUndefined();
  expect(parseDuration("-5m")).toBeUndefined();
  expect(parseDuration("")).toBeUndefined();
});

import { describe, expect, it } from "vitest";
import { isSemverRange, maxSatisfying } from "./semver-range.js";

const versions = [
  "0.1.0",
  "0.1.5",
  "0.2.0",
  "1.0.0",
  "1.2.3",
  "1.4.0",
  "1.5.0-beta.1",
  "2.0.0",
  "2.1.0",
];

describe("maxSatisfying", () => {
  it.each([
    ["^1.2.0", "1.4.0"],
    ["~1.2.0", "1.2.3"],
    ["^0.1.0", "0.1.5"],
    ["1.x", "1.4.0"],
    ["1", "1.4.0"],
    ["*", "2.1.0"],
    ["", "2.1.0"],
    [">=1.0.0 <2.0.0", "1.4.0"],
    [">= 1.0.0 < 1.3", "1.2.3"],
    ["1.0.0 - 1.2", "1.2.3"],
    ["<1.0.0 || >=2.0.0 <2.1.0", "2.0.0"],
    ["=1.2.3", "1.2.3"],
    ["v2.0.0", "2.0.0"],
    [">1.4", "2.1.0"],
    ["<=1.2", "1.2.3"],
    ["^1.5.0-beta.0", "1.5.0-beta.1"],
  ])("%s picks %s", (range, expected) => {
    expect(maxSatisfying(versions, range)).toBe(expected);
  });

  it("leaves prereleases out unless the range names one", () => {
    expect(maxSatisfying(["1.0.0", "1.1.0-rc.1"], "^1.0.0")).toBe("1.0.0");
  });

  it("finds nothing for a range no version meets, or one that is not a range", () => {
    expect(maxSatisfying(versions, "^3.0.0")).toBeUndefined();
    expect(maxSatisfying(versions, "latest")).toBeUndefined();
    expect(isSemverRange("latest")).toBe(false);
    expect(isSemverRange("^1.0.0 || 2.x")).toBe(true);
  });
});

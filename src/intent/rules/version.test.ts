import { describe, expect, it } from "vitest";
import { COVERED, HEADER, lintYaml, where, withRule } from "../intent-text.fixture.js";

describe("version rule", () => {
  it("refuses a version this darkfactory does not read, instead of the schema's message", () => {
    const result = lintYaml(`${HEADER.replace("version: 1", "version: 2")}${COVERED}`);
    expect(where(result.diagnostics)).toEqual(["version@2:10"]);
    expect(result.diagnostics[0]).toMatchObject({
      severity: "error",
      message: expect.stringContaining("reads version 1"),
      hint: expect.stringContaining("version: 1"),
    });
  });

  it("refuses a string version and a missing one", () => {
    expect(
      where(lintYaml(`${HEADER.replace("version: 1", 'version: "1"')}${COVERED}`).diagnostics),
    ).toEqual(["version@2:10"]);
    const missing = lintYaml(`${HEADER.replace("version: 1\n", "")}${COVERED}`);
    expect(missing.diagnostics).toMatchObject([
      { rule: "version", line: 2, message: expect.stringContaining('missing "version"') },
    ]);
  });

  it("accepts version 1", () => {
    expect(withRule(lintYaml(`${HEADER}${COVERED}`), "version")).toEqual([]);
  });
});

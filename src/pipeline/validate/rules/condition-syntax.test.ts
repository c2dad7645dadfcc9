import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("condition_syntax", () => {
  it("refuses a condition that does not parse, at the character in the file", () => {
    // The value starts at column 28; || is 16 characters into it.
    const text = cleanWith('work -> exit [condition="outcome=success || x"]');
    const diagnostics = lint(text);
    expect(where(diagnostics, "condition_syntax")).toEqual(["6:44"]);
    expect(only(diagnostics, "condition_syntax")[0]).toMatchObject({
      severity: "error",
      edge: { from: "work", to: "exit" },
      message: "condition on work -> exit: || (or) is not supported; use one edge per alternative",
      hint: /key=value or key!=value/,
    });
  });

  it("points at the value's start when escapes make the offset inexact", () => {
    const diagnostics = lint(cleanWith('work -> exit [condition="context.x=\\"a\\" || y"]'));
    expect(where(diagnostics, "condition_syntax")).toEqual(["6:28"]);
  });

  it("accepts valid and empty conditions", () => {
    expect(where(lint(CLEAN), "condition_syntax")).toEqual([]);
    const ok = cleanWith(
      'work -> exit [condition="outcome=success && context.ok=true"]',
      'work -> exit [condition=""]',
    );
    expect(where(lint(ok), "condition_syntax")).toEqual([]);
  });
});

describe("condition_key", () => {
  it("warns about an unqualified key one typo from outcome or preferred_label, at the key", () => {
    const diagnostics = lint(
      cleanWith('work -> exit [condition="outcome=success && outcom=fail"]'),
    );
    expect(where(diagnostics, "condition_key")).toEqual(["6:47"]);
    expect(only(diagnostics, "condition_key")[0]).toMatchObject({
      severity: "warning",
      hint: /did you mean outcome\?/,
    });
  });

  it("accepts unqualified context keys that are not near a built-in key", () => {
    expect(
      where(lint(cleanWith('work -> exit [condition="tests_passed=true"]')), "condition_key"),
    ).toEqual([]);
  });
});

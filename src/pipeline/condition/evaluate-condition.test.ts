import { describe, expect, it } from "vitest";
import { evaluateCondition, evaluateConditionText, resolveKey } from "./evaluate-condition.js";
import { parseCondition } from "./parse-condition.js";

const scope = (
  context: Record<string, unknown> = {},
  outcome = "success",
  preferredLabel = "",
) => ({
  outcome,
  preferredLabel,
  context,
});

describe("evaluateConditionText", () => {
  it("compares outcome and preferred_label exactly (§10.3)", () => {
    expect(evaluateConditionText("outcome=success", scope())).toBe(true);
    expect(evaluateConditionText("outcome=Success", scope())).toBe(false);
    expect(evaluateConditionText("outcome!=success", scope({}, "fail"))).toBe(true);
    expect(evaluateConditionText("preferred_label=Fix", scope({}, "success", "Fix"))).toBe(true);
  });

  it("needs every clause to hold", () => {
    const text = "outcome=success && context.tests_passed=true";
    expect(evaluateConditionText(text, scope({ tests_passed: true }))).toBe(true);
    expect(evaluateConditionText(text, scope({ tests_passed: false }))).toBe(false);
    expect(evaluateConditionText(text, scope({ tests_passed: true }, "fail"))).toBe(false);
  });

  it("is true for an empty condition and false for one that does not parse", () => {
    expect(evaluateConditionText("", scope({}, "fail"))).toBe(true);
    expect(evaluateConditionText("outcome=success || x", scope())).toBe(false);
  });

  it("reads a Map context as well as a record", () => {
    const context = new Map<string, unknown>([["context.stage", "review"]]);
    expect(
      evaluateConditionText("context.stage=review", { outcome: "", preferredLabel: "", context }),
    ).toBe(true);
  });

  it("tests a bare key for truthiness: empty and false are false", () => {
    const clauses = parseCondition("context.flag");
    if (!clauses.ok) throw new Error("parse");
    expect(evaluateCondition(clauses.clauses, scope({ flag: "yes" }))).toBe(true);
    expect(evaluateCondition(clauses.clauses, scope({ flag: 0 }))).toBe(true);
    expect(evaluateCondition(clauses.clauses, scope({ flag: false }))).toBe(false);
    expect(evaluateCondition(clauses.clauses, scope({ flag: "" }))).toBe(false);
    expect(evaluateCondition(clauses.clauses, scope({}))).toBe(false);
  });
});

describe("resolveKey (§10.4)", () => {
  it("tries context.x, then x, and treats missing and null as empty", () => {
    expect(resolveKey("context.a", scope({ "context.a": "full", a: "short" }))).toBe("full");
    expect(resolveKey("context.a", scope({ a: "short" }))).toBe("short");
    expect(resolveKey("context.a", scope({ a: null }))).toBe("");
    expect(resolveKey("context.missing", scope())).toBe("");
    expect(resolveKey("a", scope({ a: 3 }))).toBe("3");
    expect(resolveKey("a", scope({ "context.a": 3 }))).toBe("");
  });

  it("turns values into strings: booleans as true/false, objects as JSON", () => {
    expect(resolveKey("b", scope({ b: true }))).toBe("true");
    expect(resolveKey("o", scope({ o: { k: [1] } }))).toBe('{"k":[1]}');
  });

  it("does not read inherited properties of a record", () => {
    expect(resolveKey("toString", scope())).toBe("");
  });
});

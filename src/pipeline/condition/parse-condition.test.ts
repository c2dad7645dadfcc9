import { describe, expect, it } from "vitest";
import { parseCondition } from "./parse-condition.js";

describe("parseCondition", () => {
  it("parses = and != clauses joined by && (§10.6)", () => {
    expect(parseCondition("outcome=success && context.tests_passed=true")).toEqual({
      ok: true,
      clauses: [
        { key: "outcome", op: "=", value: "success", column: 1 },
        { key: "context.tests_passed", op: "=", value: "true", column: 20 },
      ],
    });
    expect(parseCondition(" context.loop_state != exhausted ")).toEqual({
      ok: true,
      clauses: [{ key: "context.loop_state", op: "!=", value: "exhausted", column: 2 }],
    });
  });

  it("reads quoted literals with escapes, integers and bare literals", () => {
    const parsed = parseCondition(
      'preferred_label="[A] Approve \\"now\\"" && context.n=-3 && context.v=gpt-5.2:x && context.e=""',
    );
    expect(parsed.ok && parsed.clauses.map((c) => (c.op === "truthy" ? "" : c.value))).toEqual([
      '[A] Approve "now"',
      "-3",
      "gpt-5.2:x",
      "",
    ]);
  });

  it("accepts a bare key (truthiness) and unqualified keys (§10.4, §10.5)", () => {
    expect(parseCondition("context.ready && tests_passed=true")).toEqual({
      ok: true,
      clauses: [
        { key: "context.ready", op: "truthy", column: 1 },
        { key: "tests_passed", op: "=", value: "true", column: 18 },
      ],
    });
  });

  it("treats an empty or blank condition as no clauses", () => {
    expect(parseCondition("")).toEqual({ ok: true, clauses: [] });
    expect(parseCondition("   ")).toEqual({ ok: true, clauses: [] });
  });

  const refusals: Array<[string, string, number, RegExp]> = [
    ["or", "outcome=success || outcome=fail", 17, /\|\| \(or\) is not supported/],
    ["negation", "!context.done", 1, /negation/],
    ["less than", "context.n < 3", 11, /< and > are not supported/],
    ["greater than", "context.n>3", 10, /< and > are not supported/],
    ["contains", "context.log contains error", 13, /contains is not supported/],
    ["an empty clause between &&", "outcome=success && && context.x=1", 20, /empty clause/],
    ["a leading &&", "&& outcome=success", 1, /empty clause/],
    ["a trailing &&", "outcome=success &&", 19, /empty clause/],
    ["a key that is not a path", "context.=1", 1, /context\. is not a key/],
    ["a key starting with a digit", "1x=1", 1, /1x is not a key/],
    ["an unterminated quote", 'outcome="success', 9, /unterminated quoted value/],
    ["a missing value", "outcome=", 9, /expected a value/],
    ["==", "outcome==success", 8, /write = not ==/],
    ["a stray word", "outcome=success fail", 17, /expected && or the end/],
    ["a single &", "outcome=success & context.x=1", 17, /expected && or the end/],
  ];
  it.each(refusals)("refuses %s: %s", (_name, text, column, message) => {
    const parsed = parseCondition(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.column).toBe(column);
    expect(parsed.message).toMatch(message);
  });
});

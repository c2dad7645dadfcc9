import { describe, expect, it } from "vitest";
import { meets, queryJsonPath, render, ScenarioStepError } from "./values.js";

describe("render", () => {
  it("keeps a lone variable's own type, and interpolates inside text", () => {
    const vars = { amount: 1200, id: "pi_1" };
    expect(render({ amount: "{{amount}}", note: "refund {{id}} of {{amount}}" }, vars)).toEqual({
      amount: 1200,
      note: "refund pi_1 of 1200",
    });
    expect(render(["{{ id }}", 3, null], vars)).toEqual(["pi_1", 3, null]);
  });

  it("names a variable that has no value", () => {
    expect(() => render("/refunds/{{nope}}", {})).toThrow(ScenarioStepError);
    expect(() => render("/refunds/{{nope}}", {})).toThrow("{{nope}} has no value here");
  });
});

describe("queryJsonPath", () => {
  const doc = { refund: { id: "re_1", "odd key": 2 }, items: [{ id: "a" }, { id: "b" }] };
  it("reads dotted, indexed and quoted paths", () => {
    expect(queryJsonPath(doc, "$.refund.id")).toEqual({ found: true, value: "re_1" });
    expect(queryJsonPath(doc, "$.items[1].id")).toEqual({ found: true, value: "b" });
    expect(queryJsonPath(doc, "$.refund['odd key']")).toEqual({ found: true, value: 2 });
    expect(queryJsonPath(doc, "$")).toEqual({ found: true, value: doc });
  });
  it("tells a missing field from a present null", () => {
    expect(queryJsonPath(doc, "$.refund.amount")).toEqual({ found: false });
    expect(queryJsonPath({ a: null }, "$.a")).toEqual({ found: true, value: null });
    expect(queryJsonPath("text", "$.a")).toEqual({ found: false });
  });
  it("refuses what it cannot read", () => {
    expect(() => queryJsonPath(doc, "refund.id")).toThrow(/not a JSONPath/);
    expect(() => queryJsonPath(doc, "$..id")).toThrow(/not a JSONPath this runner reads/);
  });
});

describe("meets", () => {
  it("compares objects by subset and arrays by position", () => {
    expect(meets({ id: "re_1", amount: 5, extra: true }, { id: "re_1", amount: 5 })).toBe(true);
    expect(meets({ id: "re_1" }, { id: "re_1", amount: 5 })).toBe(false);
    expect(meets([1, 2, 3], [1, 2])).toBe(true);
    expect(meets([1], [1, 2])).toBe(false);
    expect(meets("5", 5)).toBe(false);
  });
  it("applies matchers, nested inside subsets too", () => {
    expect(meets("re_123", { matches: "^re_" })).toBe(true);
    expect(meets("pi_123", { matches: "^re_" })).toBe(false);
    expect(meets(undefined, { exists: false })).toBe(true);
    expect(meets(0, { exists: true })).toBe(true);
    expect(meets(10, { gte: 10 })).toBe(true);
    expect(meets(9, { gte: 10 })).toBe(false);
    expect(meets("10", { lte: 20 })).toBe(false);
    expect(meets({ status: "succeeded" }, { status: { equals: "succeeded" } })).toBe(true);
  });
  it("finds an item in a list, in a map's values, and in lists held by a map", () => {
    const refunds = { re_1: { payment_intent: "pi_1" }, re_2: { payment_intent: "pi_2" } };
    expect(meets(refunds, { contains: { payment_intent: "pi_2" } })).toBe(true);
    expect(meets(refunds, { contains: { payment_intent: "pi_3" } })).toBe(false);
    const messages = { "#billing": [{ text: "Refund re_9 of 250 usd" }], "#general": [] };
    expect(meets(messages, { contains: { text: { matches: "re_9" } } })).toBe(true);
    expect(meets(messages, { contains: { text: { matches: "re_8" } } })).toBe(false);
    expect(meets("a refund of 250", { contains: "250" })).toBe(true);
  });
});

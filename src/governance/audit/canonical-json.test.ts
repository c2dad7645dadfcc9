import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("is the same for equal values built in a different order", () => {
    expect(canonicalJson({ x: 1, y: "é" })).toBe(canonicalJson({ y: "é", x: 1 }));
  });

  it("prints numbers as ECMAScript does and refuses non-finite ones", () => {
    expect(canonicalJson([1e21, 0.1, -0, 5])).toBe("[1e+21,0.1,0,5]");
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
  });
});

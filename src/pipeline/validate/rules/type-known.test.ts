import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";
import { SPEC_HANDLER_TYPES } from "./type-known.js";

describe("type_known", () => {
  it("warns about a type no handler is registered for, at its value, with a suggestion", () => {
    const diagnostics = lint(cleanWith('h [type="wait.humna"]', "work -> h"));
    expect(where(diagnostics, "type_known")).toEqual(["6:12"]);
    expect(only(diagnostics, "type_known")[0]).toMatchObject({
      severity: "warning",
      node: "h",
      hint: 'did you mean type="wait.human"?',
    });
  });

  it("warns about a shape outside §2.8, which would silently run as codergen", () => {
    const diagnostics = lint(cleanWith('e [shape=ellipse, prompt="x"]', "work -> e"));
    expect(where(diagnostics, "type_known")).toEqual(["6:12"]);
    expect(only(diagnostics, "type_known")[0]?.message).toMatch(/runs as codergen/);
  });

  it("uses the caller's known types instead of the spec's", () => {
    const text = cleanWith('f [type="factory.gate"]', "work -> f");
    expect(where(lint(text), "type_known")).toEqual(["6:12"]);
    const knownTypes = new Set([...SPEC_HANDLER_TYPES, "factory.gate"]);
    expect(where(lint(text, { knownTypes }), "type_known")).toEqual([]);
    // A registry without `tool` makes a parallelogram unknown, at its shape.
    const tool = cleanWith('t [shape=parallelogram, tool_command="ls"]', "work -> t");
    expect(
      where(lint(tool, { knownTypes: new Set(["start", "exit", "codergen"]) }), "type_known"),
    ).toEqual(["6:12"]);
  });

  it("accepts the spec's shapes and types, and leaves the manager loop to its own rule", () => {
    expect(where(lint(CLEAN), "type_known")).toEqual([]);
    expect(where(lint(cleanWith("m [shape=house]", "work -> m")), "type_known")).toEqual([]);
    expect(SPEC_HANDLER_TYPES.size).toBe(9);
  });
});

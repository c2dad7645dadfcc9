import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("manager_loop_unsupported", () => {
  it("refuses a house-shaped node at its shape, and a stack.manager_loop type at its type", () => {
    const diagnostics = lint(
      cleanWith("boss [shape=house]", 'sup [type="stack.manager_loop"]', "work -> boss -> sup"),
    );
    expect(where(diagnostics, "manager_loop_unsupported")).toEqual(["6:9", "7:8"]);
    expect(only(diagnostics, "manager_loop_unsupported")[0]).toMatchObject({
      severity: "error",
      node: "boss",
      message: /the supervisor loop \(§4\.11\) is not implemented yet/,
      hint: /max_visits/,
    });
  });

  it("accepts a house shape overridden by another type, and pipelines without one", () => {
    expect(
      where(
        lint(cleanWith('h [shape=house, type="codergen", prompt=x]', "work -> h")),
        "manager_loop_unsupported",
      ),
    ).toEqual([]);
    expect(where(lint(CLEAN), "manager_loop_unsupported")).toEqual([]);
  });
});

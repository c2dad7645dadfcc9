import { describe, expect, it } from "vitest";
import { CLEAN, lint, only, where } from "../lint.fixture.js";

const withStylesheet = (stylesheet: string) =>
  CLEAN.replace("digraph T {\n", `digraph T {\n  graph [model_stylesheet="${stylesheet}"]\n`);

describe("stylesheet_syntax", () => {
  it("refuses a stylesheet that does not parse, at the line and column inside it", () => {
    const diagnostics = lint(
      withStylesheet("\n    * { llm_model: a; }\n    .code { llm_modle: b; }\n  "),
    );
    expect(where(diagnostics, "stylesheet_syntax")).toEqual(["4:13"]);
    expect(only(diagnostics, "stylesheet_syntax")[0]).toMatchObject({
      severity: "error",
      message: "model_stylesheet: unknown property llm_modle",
      hint: "did you mean llm_model?",
    });
  });

  it("locates an error on the first line of the value", () => {
    //        graph [model_stylesheet=" starts the value at column 28
    expect(where(lint(withStylesheet("* { x: y }")), "stylesheet_syntax")).toEqual(["2:32"]);
  });

  it("accepts a valid stylesheet and no stylesheet", () => {
    expect(
      where(
        lint(withStylesheet("* { llm_model: a; } #work { reasoning_effort: low }")),
        "stylesheet_syntax",
      ),
    ).toEqual([]);
    expect(where(lint(CLEAN), "stylesheet_syntax")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("prompt_on_llm_nodes", () => {
  it("warns about a codergen node without a prompt, at the node, saying what will be sent", () => {
    const diagnostics = lint(
      cleanWith(
        'plan [label="Plan"]',
        "bare",
        'blank [prompt="  "]',
        "work -> plan -> bare -> blank",
      ),
    );
    expect(where(diagnostics, "prompt_on_llm_nodes")).toEqual(["6:3", "7:3", "8:3"]);
    expect(only(diagnostics, "prompt_on_llm_nodes").map((d) => d.message)).toEqual([
      'LLM stage plan has no prompt; its label "Plan" will be the whole instruction',
      "LLM stage bare has no prompt or label; its ID will be the whole instruction",
      "LLM stage blank has no prompt or label; its ID will be the whole instruction",
    ]);
  });

  it("ignores nodes with a prompt and nodes that are not LLM stages", () => {
    expect(where(lint(CLEAN), "prompt_on_llm_nodes")).toEqual([]);
    const others = cleanWith(
      "g [shape=diamond]",
      "t [shape=parallelogram, tool_command=ls]",
      "work -> g -> t",
    );
    expect(where(lint(others), "prompt_on_llm_nodes")).toEqual([]);
  });
});

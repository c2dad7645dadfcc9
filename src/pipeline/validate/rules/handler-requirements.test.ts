import { describe, expect, it } from "vitest";
import { cleanWith, lint, only, where } from "../lint.fixture.js";

describe("tool_command_missing", () => {
  it("refuses a tool node without a command, at the node", () => {
    const diagnostics = lint(
      cleanWith("t [shape=parallelogram]", 'u [type=tool, tool_command="  "]', "work -> t -> u"),
    );
    expect(where(diagnostics, "tool_command_missing")).toEqual(["6:3", "7:3"]);
    expect(only(diagnostics, "tool_command_missing")[0]).toMatchObject({
      severity: "error",
      node: "t",
      hint: /tool_command="npm test"/,
    });
  });

  it("accepts a tool node with a command", () => {
    expect(
      where(
        lint(cleanWith('t [shape=parallelogram, tool_command="npm test"]', "work -> t")),
        "tool_command_missing",
      ),
    ).toEqual([]);
  });
});

describe("human_gate_no_choices", () => {
  it("refuses a human gate with no outgoing edges", () => {
    const diagnostics = lint(cleanWith("gate [shape=hexagon]", "work -> gate"));
    expect(where(diagnostics, "human_gate_no_choices")).toEqual(["6:3"]);
    expect(only(diagnostics, "human_gate_no_choices")[0]?.severity).toBe("error");
  });

  it("accepts a human gate with choices", () => {
    expect(
      where(
        lint(
          cleanWith(
            'gate [type="wait.human"]',
            "work -> gate",
            'gate -> exit [label="[A] Approve"]',
          ),
        ),
        "human_gate_no_choices",
      ),
    ).toEqual([]);
  });
});

describe("parallel_no_branches", () => {
  it("refuses a parallel node with no outgoing edges", () => {
    const diagnostics = lint(cleanWith("fan [shape=component]", "work -> fan"));
    expect(where(diagnostics, "parallel_no_branches")).toEqual(["6:3"]);
    expect(only(diagnostics, "parallel_no_branches")[0]?.severity).toBe("error");
  });

  it("accepts a parallel node with a branch", () => {
    expect(
      where(
        lint(cleanWith("fan [shape=component]", "work -> fan -> exit")),
        "parallel_no_branches",
      ),
    ).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("retry_target_exists", () => {
  it("warns about retry targets naming no node, on nodes and on the graph, at the value", () => {
    const text = cleanWith(
      "retry_target=nowhere",
      "work [retry_target=wrok, fallback_retry_target=start]",
    );
    const diagnostics = lint(text);
    expect(where(diagnostics, "retry_target_exists")).toEqual(["6:16", "7:22"]);
    expect(only(diagnostics, "retry_target_exists")[1]).toMatchObject({
      severity: "warning",
      node: "work",
      hint: "did you mean work?",
    });
  });

  it("accepts targets that exist", () => {
    expect(where(lint(cleanWith("work [retry_target=work]")), "retry_target_exists")).toEqual([]);
  });
});

describe("goal_gate_has_retry", () => {
  it("warns about a goal gate with nowhere to retry, at goal_gate", () => {
    const diagnostics = lint(cleanWith("work [goal_gate=true]"));
    expect(where(diagnostics, "goal_gate_has_retry")).toEqual(["6:9"]);
    expect(only(diagnostics, "goal_gate_has_retry")[0]).toMatchObject({
      severity: "warning",
      node: "work",
    });
  });

  it("accepts a retry target on the node or on the graph, and goal_gate=false", () => {
    expect(
      where(lint(cleanWith("work [goal_gate=true, retry_target=work]")), "goal_gate_has_retry"),
    ).toEqual([]);
    expect(
      where(lint(cleanWith("work [goal_gate=true]", "retry_target=work")), "goal_gate_has_retry"),
    ).toEqual([]);
    expect(where(lint(cleanWith("work [goal_gate=false]")), "goal_gate_has_retry")).toEqual([]);
    expect(where(lint(CLEAN), "goal_gate_has_retry")).toEqual([]);
  });
});

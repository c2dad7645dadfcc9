import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("loop_restart_unsupported", () => {
  it("warns at loop_restart=true that the edge is followed as a normal edge", () => {
    const diagnostics = lint(cleanWith("work -> work [loop_restart=true, max_visits=2]"));
    expect(where(diagnostics, "loop_restart_unsupported")).toEqual(["6:17"]);
    expect(only(diagnostics, "loop_restart_unsupported")[0]).toMatchObject({
      severity: "warning",
      edge: { from: "work", to: "work" },
      message: /followed as a normal edge/,
    });
  });

  it("is silent for loop_restart=false and for edges without it", () => {
    expect(
      where(lint(cleanWith("work -> exit [loop_restart=false]")), "loop_restart_unsupported"),
    ).toEqual([]);
    expect(where(lint(CLEAN), "loop_restart_unsupported")).toEqual([]);
  });
});

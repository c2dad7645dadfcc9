import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("edge_target_exists", () => {
  it("refuses an edge to a node never declared, at the target, suggesting a near name", () => {
    const diagnostics = lint(cleanWith("work -> wrok"));
    expect(where(diagnostics, "edge_target_exists")).toEqual(["6:11"]);
    expect(only(diagnostics, "edge_target_exists")[0]).toMatchObject({
      severity: "error",
      edge: { from: "work", to: "wrok" },
      hint: /did you mean work\?/,
    });
  });

  it("warns, at each mention, of a node named only in edges and close to no declared name", () => {
    const diagnostics = lint(cleanWith("work -> ghost", "start -> ghost"));
    expect(where(diagnostics, "edge_target_exists")).toEqual(["6:11", "7:12"]);
    expect(only(diagnostics, "edge_target_exists")[0]).toMatchObject({
      severity: "warning",
      hint: /declare it: ghost/,
    });
  });

  it("accepts a target declared before or after the edge", () => {
    expect(where(lint(CLEAN), "edge_target_exists")).toEqual([]);
    const later =
      "digraph T {\n  start [shape=Mdiamond]\n  start -> w -> exit\n  w [prompt=x]\n  exit [shape=Msquare]\n}";
    expect(where(lint(later), "edge_target_exists")).toEqual([]);
  });
});

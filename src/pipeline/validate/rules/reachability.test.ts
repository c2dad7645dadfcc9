import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("reachability", () => {
  it("warns (not errors) about each node no path from start reaches, at the node", () => {
    const diagnostics = lint(cleanWith("orphan [prompt=x]", "island -> orphan"));
    expect(where(diagnostics, "reachability")).toEqual(["6:3", "7:3"]);
    expect(only(diagnostics, "reachability")[0]).toMatchObject({
      severity: "warning",
      node: "orphan",
      message: "node orphan cannot be reached from start, so it never runs",
    });
  });

  it("is silent when everything is reachable, and without a start node", () => {
    expect(where(lint(CLEAN), "reachability")).toEqual([]);
    expect(where(lint("digraph T { a -> b  c }"), "reachability")).toEqual([]);
  });
});

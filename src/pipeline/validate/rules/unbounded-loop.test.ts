import { describe, expect, it } from "vitest";
import { CLEAN, lint, only, where } from "../lint.fixture.js";

const pipeline = (...lines: string[]) =>
  `digraph T {\n  start [shape=Mdiamond]\n  exit [shape=Msquare]\n${lines.map((l) => `  ${l}\n`).join("")}}`;

describe("unbounded_loop", () => {
  it("warns at the edge that closes a loop with no max_visits", () => {
    const text = pipeline(
      "impl [prompt=x]",
      "check [shape=diamond]",
      "start -> impl -> check",
      'check -> exit [condition="outcome=success"]',
      'check -> impl [condition="outcome!=success"]',
    );
    const diagnostics = lint(text);
    expect(where(diagnostics, "unbounded_loop")).toEqual(["8:3"]);
    expect(only(diagnostics, "unbounded_loop")[0]).toMatchObject({
      severity: "warning",
      edge: { from: "check", to: "impl" },
      hint: "add max_visits=N to a node in the loop, e.g. impl [max_visits=3]",
    });
  });

  it("is satisfied by max_visits on any node of the loop", () => {
    const text = pipeline(
      "impl [prompt=x]",
      "check [shape=diamond, max_visits=5]",
      "start -> impl -> check -> exit",
      "check -> impl",
    );
    expect(where(lint(text), "unbounded_loop")).toEqual([]);
  });

  it("finds a second, unbounded loop beside a bounded one, and self-loops", () => {
    const text = pipeline(
      "a [prompt=x, max_visits=2]",
      "b [prompt=x]",
      "c [prompt=x]",
      "start -> a -> b -> c -> exit",
      "c -> a",
      "c -> b",
      "b -> b",
    );
    expect(where(lint(text), "unbounded_loop")).toEqual(["9:3", "10:3"]);
  });

  it("ignores loops that start cannot reach, and acyclic pipelines", () => {
    const text = pipeline(
      "w [prompt=x]",
      "start -> w -> exit",
      "x [prompt=y]",
      "y [prompt=z]",
      "x -> y -> x",
    );
    expect(where(lint(text), "unbounded_loop")).toEqual([]);
    expect(where(lint(CLEAN), "unbounded_loop")).toEqual([]);
  });
});

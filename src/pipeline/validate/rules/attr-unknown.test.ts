import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("attr_unknown", () => {
  it("warns about an attribute nothing reads, at its name, suggesting the near one", () => {
    const text = cleanWith(
      'a [promt="x", max_retry=2]',
      "gaol=x",
      'work -> a [conditon="outcome=success"]',
    );
    const diagnostics = only(lint(text), "attr_unknown");
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.hint}`)).toEqual([
      "6:6 did you mean prompt?",
      "6:17 did you mean max_retries?",
      "7:3 did you mean goal?",
      "8:14 did you mean condition?",
    ]);
    expect(diagnostics[0]).toMatchObject({
      severity: "warning",
      node: "a",
      message: "node a has attribute promt, which nothing reads",
    });
    expect(diagnostics[3]?.edge).toEqual({ from: "work", to: "a" });
  });

  it("says when an attribute belongs to another kind of owner", () => {
    const diagnostics = only(
      lint(cleanWith("work [goal=x]", "start -> work [prompt=y]")),
      "attr_unknown",
    );
    expect(diagnostics.map((d) => d.hint)).toEqual([
      "goal is an attribute of the graph, not of a node",
      "prompt is an attribute of a node, not of an edge",
    ]);
  });

  it("warns once about an unknown attribute in a default block, at its value there", () => {
    const diagnostics = lint(
      cleanWith("node [colour=red]", "x [prompt=a]", "y [prompt=b]", "work -> x -> y"),
    );
    expect(where(diagnostics, "attr_unknown")).toEqual(["6:16"]);
  });

  it("accepts the spec's attributes, ours, factory.* and Graphviz drawing attributes", () => {
    const text = cleanWith(
      'rankdir=LR  label="P"  stack.child_dotfile="c.dot"  factory.owner=me  bgcolor=white',
      "a [prompt=x, max_visits=2, human.default_choice=yes, side_effect=true, factory.x=1, style=filled, fillcolor=red, tooltip=t]",
      'h [shape=hexagon, human.default_choice="[A] Approve"]',
      "t [shape=parallelogram, tool_command=ls]",
      "p [shape=component, join_policy=wait_all, max_parallel=2]",
      "work -> a [color=red, arrowhead=none, fidelity=full, thread_id=t, factory.note=n]",
      "a -> h -> t -> p -> exit",
    );
    expect(where(lint(text), "attr_unknown")).toEqual([]);
    expect(where(lint(CLEAN), "attr_unknown")).toEqual([]);
  });
});

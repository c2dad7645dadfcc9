import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("start_node and terminal_node", () => {
  it("report a missing start or exit at the digraph keyword", () => {
    const noStart = lint(
      '\ndigraph T {\n  work [prompt="x"]\n  exit [shape=Msquare]\n  work -> exit\n}',
    );
    expect(where(noStart, "start_node")).toEqual(["2:1"]);
    expect(only(noStart, "start_node")[0]).toMatchObject({ severity: "error", hint: /Mdiamond/ });
    const noExit = lint(
      'digraph T {\n  start [shape=Mdiamond]\n  work [prompt="x"]\n  start -> work\n}',
    );
    expect(where(noExit, "terminal_node")).toEqual(["1:1"]);
    expect(only(noExit, "terminal_node")[0]?.hint).toMatch(/Msquare/);
  });

  it("report every extra start or exit at its shape", () => {
    const diagnostics = lint(
      cleanWith("again [shape=Mdiamond]", "done [shape=Msquare]", "again -> work", "work -> done"),
    );
    expect(where(diagnostics, "start_node")).toEqual(["6:10"]);
    expect(only(diagnostics, "start_node")[0]).toMatchObject({
      node: "again",
      message: "again is a second start node (the first is start at line 2)",
    });
    expect(where(diagnostics, "terminal_node")).toEqual(["7:9"]);
  });

  it("recognise start, Start, exit and end by ID when they have no shape", () => {
    expect(where(lint("digraph T { Start -> w -> end  w [prompt=x] }"), "start_node")).toEqual([]);
    expect(where(lint("digraph T { start -> w -> exit  w [prompt=x] }"), "terminal_node")).toEqual(
      [],
    );
    expect(where(lint(CLEAN), "start_node")).toEqual([]);
  });
});

describe("start_no_incoming and exit_no_outgoing", () => {
  it("report each edge into start and out of exit, at the edge", () => {
    const diagnostics = lint(cleanWith("work -> start", "exit -> work"));
    expect(where(diagnostics, "start_no_incoming")).toEqual(["6:3"]);
    expect(only(diagnostics, "start_no_incoming")[0]).toMatchObject({
      severity: "error",
      edge: { from: "work", to: "start" },
    });
    expect(where(diagnostics, "exit_no_outgoing")).toEqual(["7:3"]);
    expect(only(diagnostics, "exit_no_outgoing")[0]?.edge).toEqual({ from: "exit", to: "work" });
  });

  it("say nothing when start only leaves and exit only receives", () => {
    const diagnostics = lint(CLEAN);
    expect(where(diagnostics, "start_no_incoming")).toEqual([]);
    expect(where(diagnostics, "exit_no_outgoing")).toEqual([]);
  });
});

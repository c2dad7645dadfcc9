// The three minimal examples of §2.13, kept verbatim in graphs/, parsed and run.
import { describe, expect, it } from "vitest";
import {
  createAutoApproveInterviewer,
  createQueueInterviewer,
  createRecordingInterviewer,
} from "../../src/pipeline/index.js";
import { createRig } from "./rig/create-rig.js";
import { loadGraph, loadValidGraph } from "./rig/load-graph.js";

describe("§2.13 minimal examples", () => {
  it("2.13: Simple linear workflow", async () => {
    const loaded = loadValidGraph("example-1-simple-linear");
    expect(loaded.graph.attrs.goal).toBe("Run tests and report");
    expect(loaded.graph.attrs.rankdir).toBe("LR");
    expect(loaded.graph.nodes.get("run_tests")?.attrs.label).toBe("Run Tests");
    expect(loaded.diagnostics).toEqual([]);

    const rig = createRig();
    const result = await rig.run(loaded);
    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual(["start", "run_tests", "report", "exit"]);
    expect(rig.backend.calls.map((c) => c.prompt)).toEqual([
      "Run the test suite and report results",
      "Summarize the test results",
    ]);
  });

  it("2.13: Branching workflow with conditions", async () => {
    const loaded = loadValidGraph("example-2-branching");
    // The `node [...]` defaults reach every node declared after them (§2.11).
    for (const id of ["plan", "implement", "validate", "gate"]) {
      expect(loaded.graph.nodes.get(id)?.attrs.timeout, id).toBe("900s");
    }
    expect(loaded.graph.nodes.get("plan")?.attrs.shape).toBe("box");
    expect(loaded.graph.nodes.get("gate")?.attrs.shape).toBe("diamond");
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);

    const rig = createRig();
    const result = await rig.run(loaded);
    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual(["start", "plan", "implement", "validate", "gate", "exit"]);
    const journal = await rig.store.readJournal("bolt-1");
    const route = journal.find((e) => e.kind === "route" && e.nodeId === "gate");
    expect(route?.data).toMatchObject({ to: "exit", reason: "condition" });
  });

  it("2.13: Branching workflow with conditions (validate fails: no edge takes a FAIL, so the bolt fails, §3.7)", async () => {
    // The gate is a conditional node, whose own outcome is always SUCCESS (§4.7), so its
    // "No" edge can never be taken; a failing validate has no fail edge either.
    const rig = createRig({
      script: { validate: [{ status: "fail", failure_reason: "3 tests fail" }] },
    });
    const result = await rig.run(loadValidGraph("example-2-branching"));
    expect(result.status).toBe("failed");
    expect(result.outcome.failure_reason).toBe("3 tests fail");
    expect(result.completed).toEqual(["start", "plan", "implement", "validate"]);
    expect(rig.backend.count("implement")).toBe(1);
  });

  it("2.13: Human gate", async () => {
    const interviewer = createRecordingInterviewer(
      createQueueInterviewer([{ value: "F" }, { value: "A" }]),
    );
    const rig = createRig({ interviewer });
    const loaded = loadValidGraph("example-3-human-gate-declared");
    const result = await rig.run(loaded);

    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual([
      "start",
      "review_gate",
      "fixes",
      "review_gate",
      "ship_it",
      "exit",
    ]);
    expect(interviewer.recordings[0]?.question).toMatchObject({
      text: "Review Changes",
      type: "multiple_choice",
      options: [
        { key: "A", label: "[A] Approve" },
        { key: "F", label: "[F] Fix" },
      ],
    });
    expect(result.context["human.gate.selected"]).toBe("A");

    // AutoApprove picks the first option (§6.4).
    const auto = createRig({ interviewer: createAutoApproveInterviewer() });
    const approved = await auto.run(loaded);
    expect(approved.completed).toEqual(["start", "review_gate", "ship_it", "exit"]);
  });

  it("2.13: Human gate, verbatim (ship_it and fixes, named only in edges, become nodes with a warning)", () => {
    // As in Graphviz, a name used only in an edge is a node; edge_target_exists warns, since
    // it could be a typo. example-3-human-gate-declared.dot declares the two and runs above.
    const loaded = loadGraph("example-3-human-gate");
    expect(loaded.ok).toBe(true);
    expect(
      loaded.diagnostics
        .filter((d) => d.rule === "edge_target_exists")
        .map((d) => [d.severity, d.edge?.to]),
    ).toEqual([
      ["warning", "ship_it"],
      ["warning", "fixes"],
    ]);
  });
});

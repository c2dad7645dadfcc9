// §11.12 parity matrix, parsing and validation rows: each graph is a file in graphs/.
import { describe, expect, it } from "vitest";
import { createRig } from "./rig/create-rig.js";
import { loadGraph, loadValidGraph } from "./rig/load-graph.js";

const edgePairs = (loaded: ReturnType<typeof loadValidGraph>) =>
  loaded.graph.edges.map((edge) => [edge.from, edge.to]);

describe("§11.12 cross-feature parity matrix: parsing and validation", () => {
  it("11.12: Parse a simple linear pipeline (start -> A -> B -> done)", () => {
    const loaded = loadValidGraph("matrix-01-parse-simple-linear-pipeline");
    expect(loaded.graph.id).toBe("Linear");
    expect([...loaded.graph.nodes.keys()]).toEqual(["start", "A", "B", "done"]);
    expect(edgePairs(loaded)).toEqual([
      ["start", "A"],
      ["A", "B"],
      ["B", "done"],
    ]);
    expect(loaded.graph.nodes.get("start")?.attrs.shape).toBe("Mdiamond");
    expect(loaded.graph.nodes.get("done")?.attrs.shape).toBe("Msquare");
    expect(loaded.graph.nodes.get("B")?.attrs.prompt).toBe("Do B");
    expect(loaded.diagnostics).toEqual([]);
  });

  it("11.12: Parse a pipeline with graph-level attributes (goal, label)", async () => {
    const loaded = loadValidGraph("matrix-02-parse-graph-level-attributes");
    expect(loaded.graph.attrs.goal).toBe("Ship the billing export");
    expect(loaded.graph.attrs.label).toBe("Billing export");
    // Top-level `key = value` declarations are graph attributes too (§2.5).
    expect(loaded.graph.attrs.default_max_retries).toBe("2");
    expect(loaded.graph.attrs.rankdir).toBe("LR");
    // §2.5: goal is mirrored into the run context as graph.goal.
    const rig = createRig();
    const result = await rig.run(loaded);
    expect(result.status).toBe("succeeded");
    expect(result.context["graph.goal"]).toBe("Ship the billing export");
    expect(result.context["graph.label"]).toBe("Billing export");
  });

  it("11.12: Parse multi-line node attributes", () => {
    const loaded = loadValidGraph("matrix-03-parse-multi-line-node-attributes");
    const review = loaded.graph.nodes.get("review");
    expect(review?.attrs).toMatchObject({
      shape: "box",
      label: "Review the change",
      prompt: "Read the diff.\nThen list every defect you find.",
      max_retries: "3",
      goal_gate: "true",
      retry_target: "review",
      class: "code,critical",
    });
    expect(review?.classes).toEqual(["code", "critical"]);
    // Each attribute keeps the line it was written on, across the block's lines.
    expect(review?.attrPos.shape?.line).toBe(7);
    expect(review?.attrPos.prompt?.line).toBe(10);
    expect(review?.attrPos.class?.line).toBe(15);
    expect(edgePairs(loaded)).toEqual([
      ["start", "review"],
      ["review", "exit"],
    ]);
  });

  it("11.12: Validate: missing start node -> error", () => {
    const loaded = loadGraph("matrix-04-validate-missing-start-node");
    expect(loaded.ok).toBe(false);
    const errors = loaded.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.rule)).toEqual(["start_node"]);
    expect(errors[0]?.message).toMatch(/start/);
    expect(errors[0]?.hint).toMatch(/Mdiamond/);
  });

  it("11.12: Validate: missing exit node -> error", () => {
    const loaded = loadGraph("matrix-05-validate-missing-exit-node");
    expect(loaded.ok).toBe(false);
    const errors = loaded.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.rule)).toEqual(["terminal_node"]);
    expect(errors[0]?.hint).toMatch(/Msquare/);
  });

  it("11.12: Validate: orphan node -> warning", () => {
    const loaded = loadGraph("matrix-06-validate-orphan-node");
    // A warning does not stop the pipeline from loading (§7.1).
    expect(loaded.ok).toBe(true);
    expect(loaded.diagnostics).toHaveLength(1);
    expect(loaded.diagnostics[0]).toMatchObject({
      rule: "reachability",
      severity: "warning",
      node: "orphan",
      line: 6,
    });
  });
});

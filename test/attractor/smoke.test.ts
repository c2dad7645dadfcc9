// §11.13 integration smoke test, with a scripted backend in place of the real LLM callback.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRig } from "./rig/create-rig.js";
import { loadValidGraph } from "./rig/load-graph.js";

interface CheckpointFile {
  completed: string[];
  next: string | null;
  outcomes: Record<string, string>;
}

interface CheckpointJson {
  current_node: string | null;
  completed_nodes: string[];
  next_node: string | null;
}

describe("§11.13 integration smoke test", () => {
  it("11.13: Integration Smoke Test (plan -> implement -> review -> done)", async () => {
    // 1. Parse
    const loaded = loadValidGraph("smoke-test");
    expect(loaded.graph.attrs.goal).toBe("Create a hello world Python script");
    expect(loaded.graph.nodes.size).toBe(5);
    expect(loaded.graph.edges).toHaveLength(6);
    // 2. Validate
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);

    // 3. Execute
    const rig = createRig({
      script: {
        plan: ["1. write hello.py\n2. run it"],
        implement: ["print('hello, world')"],
        review: ["Looks correct."],
      },
    });
    const result = await rig.run(loaded);

    // 4. Verify
    expect(result.status).toBe("succeeded");
    expect(result.outcome.status).toBe("success");
    expect(result.completed).toContain("implement");
    expect(result.completed).toEqual(["start", "plan", "implement", "review", "done"]);
    for (const node of ["plan", "implement", "review"]) {
      for (const file of ["prompt.md", "response.md", "status.json"]) {
        expect(existsSync(rig.path("bolt-1", node, file)), `${node}/${file}`).toBe(true);
      }
    }
    expect(rig.backend.calls[0]?.prompt).toBe(
      "Plan how to create a hello world script for: Create a hello world Python script",
    );

    // 5. Verify goal gate
    const stored = (await rig.store.getCheckpoint("bolt-1")) as CheckpointFile;
    expect(stored.outcomes.implement).toBe("success");

    // 6. Verify checkpoint (the §5.3 file; the store's checkpoint is checked above).
    const checkpoint = rig.readJson<CheckpointJson>("bolt-1", "checkpoint.json");
    expect(checkpoint?.current_node).toBe("done");
    expect(checkpoint?.next_node).toBeNull();
    for (const node of ["plan", "implement", "review"]) {
      expect(checkpoint?.completed_nodes).toContain(node);
    }
  });

  it("11.13: Integration Smoke Test, taking the Retry and Fix edges once each", async () => {
    const rig = createRig({
      script: {
        implement: [{ status: "fail", failure_reason: "syntax error" }, "v2", "v3"],
        review: [{ status: "fail", failure_reason: "prints the wrong text" }, "Looks correct."],
      },
    });
    const result = await rig.run(loadValidGraph("smoke-test"));

    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual([
      "start",
      "plan",
      "implement",
      "plan",
      "implement",
      "review",
      "implement",
      "review",
      "done",
    ]);
    // The goal gate judges implement by its last outcome.
    const stored = (await rig.store.getCheckpoint("bolt-1")) as CheckpointFile;
    expect(stored.outcomes.implement).toBe("success");
    expect(result.context.last_response).toBe("Looks correct.");
  });
});

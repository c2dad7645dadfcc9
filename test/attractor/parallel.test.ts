// §11.12 "Parallel fan-out and fan-in complete correctly", and the parts of §4.8 and §4.9 that
// work today. See the KNOWN BUG note on the row test.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Outcome, PipelineNode } from "../../src/pipeline/index.js";
import { createRig } from "./rig/create-rig.js";
import { loadValidGraph } from "./rig/load-graph.js";
import { readStatus } from "./rig/read-status.js";

interface BranchSummary {
  id: string;
  status: string;
  score: number;
  changes: Record<string, unknown>;
}

/** Runs matrix-20, where quick and careful_draft each wait until the other has started. */
async function runParallel(scores: { quick: Outcome; careful_polish: Outcome }) {
  const firsts = new Set(["quick", "careful_draft"]);
  const started = new Set<string>();
  let overlapped = true;
  let release = () => {};
  const bothStarted = new Promise<void>((resolve) => {
    release = resolve;
  });
  const beforeReply = async (node: PipelineNode) => {
    if (!firsts.has(node.id) || started.has(node.id)) return;
    started.add(node.id);
    if (started.size === firsts.size) release();
    await Promise.race([bothStarted, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    if (started.size < firsts.size) overlapped = false;
  };
  const rig = createRig({
    beforeReply,
    script: { quick: [scores.quick], careful_polish: [scores.careful_polish] },
  });
  const result = await rig.run(loadValidGraph("matrix-20-parallel-fan-out-fan-in"));
  return { rig, result, overlapped };
}

const scored = (status: Outcome["status"], score: number, note: string): Outcome => ({
  status,
  context_updates: { "parallel.score": score, "branch.note": note },
});

describe("§11.12 cross-feature parity matrix: parallel", () => {
  // The fan-out has no edge to the fan-in; the engine continues there through `jump_to` (docs/attractor.md).
  it("11.12: Parallel fan-out and fan-in complete correctly", async () => {
    const { rig, result, overlapped } = await runParallel({
      quick: scored("success", 3, "q"),
      careful_polish: scored("success", 9, "c"),
    });

    expect(result.status).toBe("succeeded");
    expect(overlapped).toBe(true);
    // The branches ran inside the fan-out; the run went on at the fan-in, not down a branch again.
    expect(result.completed).toEqual(["start", "fan", "join", "after", "exit"]);
    for (const id of ["quick", "careful_draft", "careful_polish", "after"]) {
      expect(rig.backend.count(id), id).toBe(1);
    }
    expect(result.context["parallel.fan_in.best_id"]).toBe("careful_draft");
    const after = rig.backend.calls.find((c) => c.node === "after");
    expect(after?.context["parallel.fan_in.best_id"]).toBe("careful_draft");
    // Branch contexts are not merged back into the parent (§3.8).
    expect(result.context["branch.note"]).toBeUndefined();
  });

  it("4.8: the fan-out runs every branch at once, each on its own clone of the context, up to the fan-in", async () => {
    const { rig, overlapped } = await runParallel({
      quick: scored("success", 3, "q"),
      careful_polish: scored("success", 9, "c"),
    });
    expect(overlapped).toBe(true);

    const fan = readStatus(rig, "bolt-1", "fan") as {
      outcome: string;
      jump_to?: string;
      context_updates: Record<string, unknown>;
    };
    expect(fan.outcome).toBe("success");
    expect(fan.jump_to).toBe("join");
    const results = fan.context_updates["parallel.results"] as BranchSummary[];
    expect(results.map((r) => [r.id, r.status, r.score])).toEqual([
      ["quick", "success", 3],
      ["careful_draft", "success", 9],
    ]);
    // Each branch saw only its own updates (careful_draft's branch got "c" from careful_polish,
    // its second node), and none reached the fan-out's own outcome.
    expect(results.map((r) => r.changes["branch.note"])).toEqual(["q", "c"]);
    expect(Object.keys(fan.context_updates)).toEqual(["parallel.results"]);
    expect(readFileSync(rig.path("bolt-1", "careful_polish", "prompt.md"), "utf8")).toBe(
      "Careful polish",
    );
  });

  it("4.9: the fan-in picks the best branch, by status first and then by score", async () => {
    const { rig } = await runParallel({
      // quick scores higher, but only partly succeeded.
      quick: scored("partial_success", 9, "q"),
      careful_polish: scored("success", 3, "c"),
    });
    const join = readStatus(rig, "bolt-1", "join");
    expect(join?.outcome).toBe("success");
    expect(join?.context_updates).toMatchObject({
      "parallel.fan_in.best_id": "careful_draft",
      "parallel.fan_in.best_outcome": "success",
    });
  });
});

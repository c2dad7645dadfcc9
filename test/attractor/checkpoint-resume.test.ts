// §11.12 "Checkpoint save and resume produces same result": a bolt parked at a human gate and a
// bolt whose process died between nodes both end exactly as an uninterrupted run does (§5.3).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BoltLeasedError,
  createQueueInterviewer,
  loadPipeline,
  type PipelineGraph,
} from "../../src/pipeline/index.js";
import { createRig, type Rig } from "./rig/create-rig.js";
import { defaultTypes, loadValidGraph } from "./rig/load-graph.js";

/** The graph as a new process would get it: parsed again from the source stored with the bolt. */
async function storedGraph(rig: Rig, boltId: string): Promise<PipelineGraph> {
  const bolt = await rig.store.getBolt(boltId);
  if (!bolt) throw new Error(`no bolt ${boltId}`);
  const loaded = loadPipeline(bolt.source, bolt.pipeline, { knownTypes: defaultTypes });
  if (!loaded.ok || !loaded.graph) throw new Error(`the stored source of ${boltId} did not load`);
  return loaded.graph;
}

const effects = (rig: Rig) => {
  const file = rig.path("bolt-1", "effects.log");
  return existsSync(file) ? readFileSync(file, "utf8") : "";
};

describe("§11.12 cross-feature parity matrix: checkpoint and resume", () => {
  it("11.12: Checkpoint save and resume produces same result (parked at a human gate)", async () => {
    const graph = loadValidGraph("matrix-17-checkpoint-resume-human-gate");
    const reference = createRig({ interviewer: createQueueInterviewer([{ value: "P" }]) });
    const expected = await reference.run(graph);
    expect(expected.status).toBe("succeeded");
    expect(expected.completed).toEqual(["start", "draft", "review_gate", "publish", "exit"]);

    // No interviewer: the gate parks the bolt.
    const rig = createRig();
    const parked = await rig.run(graph);
    expect(parked.status).toBe("waiting");
    expect(parked.waiting?.node).toBe("review_gate");
    expect(parked.waiting?.question.options.map((o) => o.key)).toEqual(["P", "R"]);
    expect(parked.completed).toEqual(["start", "draft"]);
    expect((await rig.store.getBolt("bolt-1"))?.status).toBe("waiting");
    expect(effects(rig)).toBe("");
    expect(rig.readJson("bolt-1", "checkpoint.json")?.completed_nodes).toEqual(["start", "draft"]);

    await rig.store.answerApproval("bolt-1", "review_gate", { value: "P" }, "user:test");
    const resumed = await rig
      .engine({ owner: "conformance:2:b" })
      .resume("bolt-1", await storedGraph(rig, "bolt-1"));

    expect(resumed.status).toBe(expected.status);
    expect(resumed.outcome).toEqual(expected.outcome);
    expect(resumed.completed).toEqual(expected.completed);
    expect(resumed.context).toEqual(expected.context);
    expect(effects(rig)).toBe("published\n");
    // draft ran before the park and not again after it.
    expect(rig.backend.count("draft")).toBe(1);
    expect(rig.readJson("bolt-1", "checkpoint.json")?.completed_nodes).toEqual(expected.completed);
  });

  const crashAfter = ["start", "prepare", "implement", "finish"];
  it.each(crashAfter)(
    "11.12: Checkpoint save and resume produces same result (process dies after %s)",
    async (node) => {
      const graph = loadValidGraph("matrix-17-checkpoint-resume-after-crash");
      const reference = createRig();
      const expected = await reference.run(graph);
      expect(expected.completed).toEqual(["start", "prepare", "implement", "finish", "exit"]);
      expect(effects(reference)).toBe("prepare\nfinish\n");

      const rig = createRig();
      const killAt = `node-done:${node}`;
      const checkpointHook = (point: string) => {
        if (point === killAt) throw new Error(`killed at ${point}`);
      };
      await expect(rig.run(graph, { deps: { checkpointHook } })).rejects.toThrow(killAt);
      expect((await rig.store.getBolt("bolt-1"))?.status).toBe("running");
      const saved = (await rig.store.getCheckpoint("bolt-1")) as { completed: string[] };
      expect(saved.completed).toEqual(expected.completed.slice(0, crashAfter.indexOf(node) + 1));

      // A killed process keeps its lease until it expires; hold it as that dead owner.
      const dead = "deadhost:4242:gone";
      expect((await rig.store.acquireLease("bolt-1", dead, 60_000)).acquired).toBe(true);
      const live = rig.engine({ owner: "conformance:2:b", isOwnerAlive: () => true });
      await expect(live.resume("bolt-1", graph.graph)).rejects.toBeInstanceOf(BoltLeasedError);

      const asked: string[] = [];
      const successor = rig.engine({
        owner: "conformance:3:c",
        isOwnerAlive: (owner) => {
          asked.push(owner);
          return false;
        },
      });
      const resumed = await successor.resume("bolt-1", await storedGraph(rig, "bolt-1"));

      expect(asked).toEqual([dead]);
      expect(resumed.status).toBe(expected.status);
      expect(resumed.outcome).toEqual(expected.outcome);
      expect(resumed.completed).toEqual(expected.completed);
      expect(resumed.context).toEqual(expected.context);
      // Finished nodes are not run again: each effect happened once.
      expect(effects(rig)).toBe("prepare\nfinish\n");
      expect(rig.backend.count("implement")).toBe(1);
    },
  );
});

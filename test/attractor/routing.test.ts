// §11.12 parity matrix, routing rows: human choices, the edge selection steps, and context flow.
import { describe, expect, it } from "vitest";
import { createQueueInterviewer, createRecordingInterviewer } from "../../src/pipeline/index.js";
import { createRig } from "./rig/create-rig.js";
import { loadValidGraph } from "./rig/load-graph.js";

describe("§11.12 cross-feature parity matrix: routing", () => {
  it("11.12: Wait.human presents choices and routes on selection", async () => {
    const interviewer = createRecordingInterviewer(
      // An accelerator key, a label without its accelerator, and a whole label.
      createQueueInterviewer([{ value: "R" }, { value: "no, hold" }, { value: "[Y] Yes, deploy" }]),
    );
    const rig = createRig({ interviewer });
    const graph = loadValidGraph("matrix-12-wait-human-choices");

    const rework = await rig.run(graph, { boltId: "bolt-r" });
    const hold = await rig.run(graph, { boltId: "bolt-n" });
    const deploy = await rig.run(graph, { boltId: "bolt-y" });

    expect(interviewer.recordings).toHaveLength(3);
    expect(interviewer.recordings[0]?.question).toMatchObject({
      text: "Deploy to production?",
      type: "multiple_choice",
      stage: "deploy_gate",
      options: [
        { key: "Y", label: "[Y] Yes, deploy" },
        { key: "N", label: "N) No, hold" },
        { key: "R", label: "R - Rework the change" },
      ],
    });
    expect(rework.completed).toEqual(["start", "deploy_gate", "rework", "exit"]);
    expect(rework.context["human.gate.selected"]).toBe("R");
    expect(rework.context["human.gate.label"]).toBe("R - Rework the change");
    expect(hold.completed).toEqual(["start", "deploy_gate", "hold", "exit"]);
    expect(hold.context["human.gate.selected"]).toBe("N");
    expect(deploy.completed).toEqual(["start", "deploy_gate", "deploy", "exit"]);
    expect(deploy.context["human.gate.selected"]).toBe("Y");
    for (const result of [rework, hold, deploy]) expect(result.status).toBe("succeeded");
  });

  it("11.12: Edge selection: condition match wins over weight", async () => {
    const rig = createRig();
    const result = await rig.run(loadValidGraph("matrix-13-edge-condition-beats-weight"));
    // heavy has weight 100 and comes first lexically; only the condition step picks matched.
    expect(result.completed).toEqual(["start", "decide", "matched", "exit"]);
    expect(rig.backend.count("heavy")).toBe(0);
    const journal = await rig.store.readJournal("bolt-1");
    const route = journal.find((e) => e.kind === "route" && e.nodeId === "decide");
    expect(route?.data).toMatchObject({ to: "matched", reason: "condition" });
  });

  it("11.12: Edge selection: weight breaks ties for unconditional edges", async () => {
    const rig = createRig();
    const result = await rig.run(loadValidGraph("matrix-14-edge-weight-breaks-ties"));
    // zulu (weight 5) beats alpha (weight 1), which lexical order alone would have picked.
    expect(result.completed).toEqual(["start", "decide", "zulu", "exit"]);
    expect(rig.backend.count("alpha")).toBe(0);
    expect(rig.backend.count("never")).toBe(0);
  });

  it("11.12: Edge selection: lexical tiebreak as final fallback", async () => {
    const rig = createRig();
    const result = await rig.run(loadValidGraph("matrix-15-edge-lexical-tiebreak"));
    // Equal weights: beta wins by ID, though it was declared last.
    expect(result.completed).toEqual(["start", "decide", "beta", "exit"]);
    expect(rig.backend.count("zeta")).toBe(0);
    expect(rig.backend.count("mid")).toBe(0);
  });

  it("11.12: Context updates from one node are visible to the next", async () => {
    const rig = createRig({
      script: {
        plan: [{ status: "success", context_updates: { "context.plan_id": "p-42" } }],
      },
    });
    const result = await rig.run(loadValidGraph("matrix-16-context-updates-visible"));

    // The next handler sees the value...
    const implement = rig.backend.calls.find((call) => call.node === "implement");
    expect(implement?.context["context.plan_id"]).toBe("p-42");
    // ...and so does routing further on (§10.4: context.plan_id).
    expect(result.completed).toEqual(["start", "plan", "implement", "check", "exit"]);
    expect(rig.backend.count("lost")).toBe(0);
    expect(result.context["context.plan_id"]).toBe("p-42");
    // The plan stage itself ran before the update existed.
    const plan = rig.backend.calls.find((call) => call.node === "plan");
    expect(plan?.context["context.plan_id"]).toBeUndefined();
  });
});

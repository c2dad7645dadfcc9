// §11.12 parity matrix, transform and handler rows: stylesheet, $goal, custom handlers, and a
// pipeline of more than ten nodes that mixes the built-in handlers.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createAutoApproveInterviewer } from "../../src/pipeline/index.js";
import { createRig } from "./rig/create-rig.js";
import { defaultTypes, loadGraph, loadValidGraph } from "./rig/load-graph.js";
import { readStatus } from "./rig/read-status.js";

describe("§11.12 cross-feature parity matrix: transforms and handlers", () => {
  it("11.12: Stylesheet applies model override to nodes by shape", async () => {
    const loaded = loadValidGraph("matrix-18-stylesheet-by-shape");
    const attrs = (id: string) => loaded.graph.nodes.get(id)?.attrs ?? {};
    // `plan` has no shape, so it is a box (§2.6) and matches the `box` selector.
    for (const id of ["plan", "implement"]) {
      expect(attrs(id).llm_model, id).toBe("claude-opus-4-6");
      expect(attrs(id).llm_provider, id).toBe("anthropic");
    }
    // An explicit attribute beats the stylesheet; the properties it does not set still apply.
    expect(attrs("pinned").llm_model).toBe("gpt-5.2");
    expect(attrs("pinned").llm_provider).toBe("anthropic");
    for (const id of ["start", "exit", "check"]) expect(attrs(id).llm_model, id).toBeUndefined();

    const rig = createRig();
    const result = await rig.run(loaded);
    expect(result.status).toBe("succeeded");
    const seen = Object.fromEntries(rig.backend.calls.map((c) => [c.node, c.attrs.llm_model]));
    expect(seen).toEqual({
      plan: "claude-opus-4-6",
      implement: "claude-opus-4-6",
      pinned: "gpt-5.2",
    });
  });

  it("11.12: Prompt variable expansion ($goal) works", async () => {
    const rig = createRig();
    const result = await rig.run(loadValidGraph("matrix-19-prompt-goal-expansion"));
    expect(result.status).toBe("succeeded");

    const goal = "Create a hello world Python script";
    const planPrompt = `Plan how to reach: ${goal}. Then restate ${goal}.`;
    expect(rig.backend.calls.map((c) => c.prompt)).toEqual([planPrompt, `Check ${goal}`]);
    expect(readFileSync(rig.path("bolt-1", "plan", "prompt.md"), "utf8")).toBe(planPrompt);
    // With no prompt, the label is the prompt (§4.5), expanded the same way.
    expect(readFileSync(rig.path("bolt-1", "labelled", "prompt.md"), "utf8")).toBe(`Check ${goal}`);
  });

  it("11.12: Custom handler registration and execution works", async () => {
    const knownTypes = [...defaultTypes, "my_custom_type"];
    const loaded = loadValidGraph("matrix-21-custom-handler", knownTypes);
    expect(loaded.diagnostics.filter((d) => d.rule === "type_known")).toEqual([]);
    // Without the registration, validation says no handler is known for the type (§7.2).
    const unknown = loadGraph("matrix-21-custom-handler");
    expect(unknown.diagnostics.find((d) => d.rule === "type_known")).toMatchObject({
      severity: "warning",
      node: "my_node",
    });

    const rig = createRig();
    const seen: Record<string, string | undefined>[] = [];
    rig.registry.register("my_custom_type", {
      async execute({ node, context }) {
        seen.push({ custom_attr: node.attrs.custom_attr, goal: context.getString("graph.goal") });
        return { status: "success", context_updates: { "custom.ran": node.id } };
      },
    });
    const result = await rig.run(loaded);

    expect(result.status).toBe("succeeded");
    expect(seen).toEqual([{ custom_attr: "value", goal: "" }]);
    expect(result.completed).toEqual(["start", "my_node", "exit"]);
    expect(result.context["custom.ran"]).toBe("my_node");
    expect(readStatus(rig, "bolt-1", "my_node")?.outcome).toBe("success");
    // The registry resolved the explicit type over the shape: box would have been codergen.
    expect(rig.backend.count("my_node")).toBe(0);
  });

  it("11.12: Pipeline with 10+ nodes completes without errors", async () => {
    const loaded = loadValidGraph("matrix-22-ten-plus-nodes");
    expect(loaded.graph.nodes.size).toBeGreaterThanOrEqual(10);
    expect(loaded.diagnostics).toEqual([]);

    const rig = createRig({ interviewer: createAutoApproveInterviewer() });
    const result = await rig.run(loaded);

    expect(result.status).toBe("succeeded");
    expect(result.outcome.status).toBe("success");
    expect(result.completed).toEqual([
      "start",
      "fetch",
      "plan",
      "docs",
      "code",
      "tests",
      "check",
      "approve",
      "package",
      "announce",
      "exit",
    ]);
    for (const id of ["plan", "docs", "code", "tests", "announce"]) {
      expect(rig.backend.count(id), id).toBe(1);
    }
    expect(rig.backend.count("rollback")).toBe(0);
    expect(result.context["human.gate.selected"]).toBe("Y");
    expect(readFileSync(rig.path("bolt-1", "package.txt"), "utf8")).toBe("packaged\n");
    const announce = rig.backend.calls.find((c) => c.node === "announce");
    expect(announce?.prompt).toBe("Announce Release version 1.2");
    const journal = await rig.store.readJournal("bolt-1");
    const failures = journal.filter(
      (e) => e.kind === "node.outcome" && (e.data as { status?: string }).status !== "success",
    );
    expect(failures).toEqual([]);
  });
});

// §11.12 parity matrix, execution rows: linear runs, branching, retries and goal gates.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRig } from "./rig/create-rig.js";
import { loadValidGraph } from "./rig/load-graph.js";
import { readStatus } from "./rig/read-status.js";

describe("§11.12 cross-feature parity matrix: execution", () => {
  it("11.12: Execute a linear 3-node pipeline end-to-end", async () => {
    const rig = createRig();
    const result = await rig.run(loadValidGraph("matrix-07-execute-linear-3-node-pipeline"));

    expect(result.status).toBe("succeeded");
    expect(result.outcome.status).toBe("success");
    expect(result.completed).toEqual(["start", "plan", "build", "report", "exit"]);
    expect(rig.backend.calls.map((call) => call.node)).toEqual(["plan", "report"]);
    expect(rig.backend.calls[0]?.prompt).toBe("Plan: Build the greeting");
    // The tool stage ran for real, in the bolt's folder.
    expect(readFileSync(rig.path("bolt-1", "build.txt"), "utf8")).toBe("built\n");
    expect(result.context["tool.output"]).toBe("built");
    expect(result.context.last_stage).toBe("report");
    for (const node of ["plan", "build", "report"]) {
      expect(readStatus(rig, "bolt-1", node)?.outcome, node).toBe("success");
    }
  });

  it("11.12: Execute with conditional branching (success/fail paths)", async () => {
    const rig = createRig({
      script: { check: ["all green", { status: "fail", failure_reason: "tests red" }] },
    });
    const graph = loadValidGraph("matrix-08-execute-conditional-branching");

    const green = await rig.run(graph, { boltId: "bolt-green" });
    expect(green.status).toBe("succeeded");
    expect(green.completed).toEqual(["start", "check", "on_success", "exit"]);

    const red = await rig.run(graph, { boltId: "bolt-red" });
    expect(red.status).toBe("succeeded");
    expect(red.completed).toEqual(["start", "check", "on_fail", "exit"]);
    expect(readStatus(rig, "bolt-red", "check")).toMatchObject({
      outcome: "fail",
      failure_reason: "tests red",
    });
    expect(rig.backend.count("on_success")).toBe(1);
    expect(rig.backend.count("on_fail")).toBe(1);
  });

  it("11.12: Execute with retry on failure (max_retries=2)", async () => {
    const rig = createRig();
    const result = await rig.run(loadValidGraph("matrix-09-execute-retry-on-failure"));

    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual(["start", "flaky", "exit"]);
    // Failed twice, succeeded on the third and last allowed attempt.
    expect(readFileSync(rig.path("bolt-1", "attempts.txt"), "utf8")).toBe("3\n");
    expect(result.context["internal.retry_count.flaky"]).toBe(2);
    const retries = rig.events.filter((e) => e.kind === "node.retry");
    expect(retries.map((e) => e.kind === "node.retry" && [e.node, e.attempt])).toEqual([
      ["flaky", 1],
      ["flaky", 2],
    ]);
    // Backoff (§3.6 standard preset, jitter in [0.5, 1.5)): about 200 ms, then about 400 ms.
    expect(rig.sleeps).toHaveLength(2);
    expect(rig.sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(rig.sleeps[0]).toBeLessThanOrEqual(300);
    expect(rig.sleeps[1]).toBeGreaterThanOrEqual(200);
    expect(rig.sleeps[1]).toBeLessThanOrEqual(600);
    const journal = await rig.store.readJournal("bolt-1");
    const starts = journal.filter((e) => e.kind === "node.start" && e.nodeId === "flaky");
    expect(starts).toHaveLength(3);
  });

  it("11.12: Goal gate blocks exit when unsatisfied", async () => {
    const rig = createRig({
      script: { implement: [{ status: "fail", failure_reason: "does not compile" }, "fixed"] },
    });
    const result = await rig.run(loadValidGraph("matrix-10-goal-gate-blocks-exit"));

    // implement failed and took its fail edge to exit; exit refused and sent the run to fix.
    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual(["start", "implement", "fix", "implement", "exit"]);
    const journal = await rig.store.readJournal("bolt-1");
    const gateRoutes = journal.filter(
      (e) => e.kind === "route" && (e.data as { reason?: string }).reason === "goal_gate",
    );
    expect(gateRoutes).toHaveLength(1);
    expect(gateRoutes[0]).toMatchObject({ nodeId: "exit", data: { to: "fix", gate: "implement" } });
  });

  it("11.12: Goal gate blocks exit when unsatisfied (no retry target: the pipeline fails, §3.4)", async () => {
    const rig = createRig({ script: { implement: [{ status: "fail", failure_reason: "nope" }] } });
    const result = await rig.run(loadValidGraph("matrix-10-goal-gate-blocks-exit-no-target"));

    expect(result.status).toBe("failed");
    expect(result.outcome.status).toBe("fail");
    expect(result.outcome.failure_reason).toMatch(/goal gate implement/);
    expect(result.completed).toEqual(["start", "implement"]);
    expect((await rig.store.getBolt("bolt-1"))?.status).toBe("failed");
  });

  it("11.12: Goal gate allows exit when all satisfied", async () => {
    const rig = createRig({
      script: { test: [{ status: "partial_success", notes: "one flaky test skipped" }] },
    });
    const result = await rig.run(loadValidGraph("matrix-11-goal-gate-allows-exit"));

    // SUCCESS and PARTIAL_SUCCESS both satisfy a goal gate (§3.4).
    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual(["start", "implement", "test", "exit"]);
    expect(readStatus(rig, "bolt-1", "test")?.outcome).toBe("partial_success");
    const journal = await rig.store.readJournal("bolt-1");
    expect(journal.some((e) => (e.data as { reason?: string }).reason === "goal_gate")).toBe(false);
    expect(rig.backend.count("implement")).toBe(1);
  });
});

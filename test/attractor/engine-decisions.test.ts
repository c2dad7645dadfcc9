// Where the spec leaves a choice or contradicts itself, the engine decides; these tests pin the
// decisions down: failure routing (§3.7 over §3.2), retries on FAIL (§11.5 over §3.5),
// max_visits, tool nodes (§4.10) and handler exceptions (§4.12).
import { readFileSync, realpathSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRig } from "./rig/create-rig.js";
import { defaultTypes, loadValidGraph } from "./rig/load-graph.js";
import { readStatus } from "./rig/read-status.js";

const failOnce = { work: [{ status: "fail" as const, failure_reason: "work broke" }] };

describe("engine decisions", () => {
  it("3.7: a FAIL follows a condition-matched edge (outcome=fail) before the node's retry_target", async () => {
    const rig = createRig({ script: failOnce });
    const result = await rig.run(loadValidGraph("extra-failure-routing-fail-edge"));
    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual(["start", "work", "handle", "exit"]);
    expect(rig.backend.count("next")).toBe(0);
    expect(rig.backend.count("recover")).toBe(0);
  });

  it("3.7: with no fail edge, a FAIL jumps to retry_target, never down an unconditional edge", async () => {
    const rig = createRig({ script: failOnce });
    const result = await rig.run(loadValidGraph("extra-failure-routing-retry-target"));
    expect(result.completed).toEqual(["start", "work", "recover", "exit"]);
    expect(rig.backend.count("next")).toBe(0);
    expect(rig.backend.count("fallback")).toBe(0);
    const journal = await rig.store.readJournal("bolt-1");
    const route = journal.find((e) => e.kind === "route" && e.nodeId === "work");
    expect(route?.data).toMatchObject({ to: "recover", reason: "retry_target" });
  });

  it("3.7: with no fail edge and no retry_target, a FAIL jumps to fallback_retry_target", async () => {
    const rig = createRig({ script: failOnce });
    const result = await rig.run(loadValidGraph("extra-failure-routing-fallback"));
    expect(result.completed).toEqual(["start", "work", "fallback", "exit"]);
    expect(rig.backend.count("next")).toBe(0);
  });

  it("3.7: with no failure route at all, the bolt fails with the stage's reason", async () => {
    const rig = createRig({ script: failOnce });
    const result = await rig.run(loadValidGraph("extra-failure-routing-none"));
    expect(result.status).toBe("failed");
    expect(result.outcome).toMatchObject({ status: "fail", failure_reason: "work broke" });
    expect(result.completed).toEqual(["start", "work"]);
    expect(rig.backend.count("next")).toBe(0);
    expect((await rig.store.getBolt("bolt-1"))?.status).toBe("failed");
  });

  it("11.5: max_retries=2 allows three runs in all; then the FAIL stands", async () => {
    const rig = createRig();
    const result = await rig.run(loadValidGraph("extra-retry-exhausted"));
    expect(readFileSync(rig.path("bolt-1", "attempts.txt"), "utf8")).toBe("attempt\n".repeat(3));
    expect(rig.sleeps).toHaveLength(2);
    expect(result.status).toBe("failed");
    expect(result.outcome.failure_reason).toMatch(/exit 1/);
    expect(result.completed).toEqual(["start", "broken"]);
  });

  it("3.5: RETRY outcomes are retried; when retries run out, allow_partial gives PARTIAL_SUCCESS", async () => {
    const rig = createRig({
      script: {
        patient: [{ status: "retry", failure_reason: "not yet" }],
        firm: [{ status: "retry", failure_reason: "once more" }, "done"],
      },
    });
    const result = await rig.run(loadValidGraph("extra-retry-status-allow-partial"));
    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual(["start", "patient", "firm", "exit"]);
    expect(rig.backend.count("patient")).toBe(2);
    expect(rig.backend.count("firm")).toBe(2);
    expect(readStatus(rig, "bolt-1", "patient")?.outcome).toBe("partial_success");
    expect(readStatus(rig, "bolt-1", "firm")?.outcome).toBe("success");
  });

  it("extension: max_visits=3 bounds a loop; the 4th entry ends the bolt as failed without running the node", async () => {
    const rig = createRig();
    const result = await rig.run(loadValidGraph("extra-max-visits-loop"));
    expect(rig.backend.count("work")).toBe(3);
    expect(result.status).toBe("failed");
    expect(result.outcome.failure_reason).toMatch(/max_visits=3/);
    expect(result.completed).toEqual(["start", "work", "work", "work"]);
  });

  it("4.10: a tool node runs tool_command with sh -c in <runsDir>/<boltId>/; a non-zero exit is FAIL", async () => {
    const rig = createRig();
    const result = await rig.run(loadValidGraph("extra-tool-node"));
    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual(["start", "where", "broken", "caught", "exit"]);
    const runDir = realpathSync(rig.path("bolt-1"));
    expect(readFileSync(rig.path("bolt-1", "where.txt"), "utf8")).toBe(`${runDir}\n`);
    expect(readStatus(rig, "bolt-1", "where")).toMatchObject({
      outcome: "success",
      context_updates: { "tool.output": "from-tool" },
    });
    const broken = readStatus(rig, "bolt-1", "broken");
    expect(broken?.outcome).toBe("fail");
    expect(broken?.failure_reason).toMatch(/exit 7/);
    expect(broken?.failure_reason).toMatch(/oops/);
    expect(result.context["tool.exit_code"]).toBe(7);
  });

  it("4.12: a handler that throws is caught and becomes a FAIL outcome", async () => {
    const rig = createRig();
    rig.registry.register("exploding", {
      async execute() {
        throw new Error("kaboom");
      },
    });
    const result = await rig.run(
      loadValidGraph("extra-handler-throws", [...defaultTypes, "exploding"]),
    );
    expect(result.status).toBe("succeeded");
    expect(result.completed).toEqual(["start", "boom", "caught", "exit"]);
    const boom = readStatus(rig, "bolt-1", "boom");
    expect(boom?.outcome).toBe("fail");
    expect(boom?.failure_reason).toMatch(/kaboom/);
  });
});

// Regressions from the review of the engine: parallel routing, idempotency keys, goal gates
// inside branches, a transient renewal failure, and a kill during a retry's backoff.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuditLog, createRedactor } from "../../governance/index.js";
import { createSqliteStore, type Store, StoreError } from "../../store/index.js";
import { loadPipeline } from "../load-pipeline.js";
import { testEngineDeps } from "./engine.fixture.js";
import { createEngine } from "./engine.js";
import type { EngineDeps } from "./engine-deps.js";
import type { Handler } from "./handler.js";

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "df-engine-review-"));
  store = createSqliteStore({ path: join(dir, "state.db") });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function engineWith(handlers: Record<string, Handler>, extra: Partial<EngineDeps> = {}) {
  const { registry } = testEngineDeps(store, dir, { handlers });
  const engine = createEngine(testEngineDeps(store, dir, { ...extra, registry }));
  const run = (source: string, boltId = "b1") => {
    const graph = loadPipeline(source, "t.dot", { knownTypes: registry.types() }).graph;
    if (!graph) throw new Error("graph did not parse");
    return {
      graph,
      result: engine.start({ boltId, intentId: "", pipeline: "t.dot", source, graph }),
    };
  };
  return { engine, run, registry };
}

/** Records every node it runs and the key it was given. */
function recorder() {
  const calls: { node: string; key: string }[] = [];
  const handler: Handler = {
    sideEffect: true,
    async execute({ node, idempotencyKey }) {
      calls.push({ node: node.id, key: idempotencyKey });
      return { status: node.attrs.fails === "true" ? "fail" : "success" };
    },
  };
  return { calls, handler };
}

describe("parallel routing", () => {
  it("runs each branch once when there is no fan-in, and does not go down a branch again", async () => {
    const { calls, handler } = recorder();
    const { run } = engineWith({ rec: handler });
    const { result } = run(`digraph g { start [shape=Mdiamond]; exit [shape=Msquare]
      par [shape=component]; a [type="rec"]; b [type="rec"]
      start -> par; par -> a; par -> b }`);
    expect((await result).status).toBe("succeeded");
    expect(calls.map((c) => c.node).sort()).toEqual(["a", "b"]);
  });

  it("follows nested fan-outs to their fan-ins and on", async () => {
    const { calls, handler } = recorder();
    const { run } = engineWith({ rec: handler });
    const { result } = run(`digraph g { start [shape=Mdiamond]; exit [shape=Msquare]
      outer [shape=component]; a [type="rec"]; inner [shape=component]; x [type="rec"]; y [type="rec"]
      ij [shape=tripleoctagon]; after_inner [type="rec"]; oj [shape=tripleoctagon]; last [type="rec"]
      start -> outer; outer -> a; outer -> inner; inner -> x; inner -> y; x -> ij; y -> ij; ij -> after_inner
      after_inner -> oj; a -> oj; oj -> last -> exit }`);
    const done = await result;
    expect(done.status).toBe("succeeded");
    expect(calls.map((c) => c.node).sort()).toEqual(["a", "after_inner", "last", "x", "y"]);
  });

  it("gives every run of a node a key of its own, across visits of the fan-out and across branches", async () => {
    const { calls, handler } = recorder();
    const { run } = engineWith({ rec: handler });
    const { result } = run(`digraph g { start [shape=Mdiamond]; exit [shape=Msquare]
      par [shape=component, max_visits=3]; a [type="rec"]; b [type="rec"]; shared [type="rec"]
      join [shape=tripleoctagon]; again [shape=diamond]
      start -> par; par -> a; par -> b; a -> shared; b -> shared; shared -> join; join -> again
      again -> par [condition="context.round!=done"] }`);
    await result;
    expect(calls.filter((c) => c.node === "shared")).toHaveLength(6);
    expect(new Set(calls.map((c) => c.key)).size).toBe(calls.length);
  });

  it("counts a goal gate inside a branch at the exit", async () => {
    const { handler } = recorder();
    const { run } = engineWith({ rec: handler });
    const { result } = run(`digraph g { start [shape=Mdiamond]; exit [shape=Msquare]
      par [shape=component]; tests [type="rec", fails="true", goal_gate=true]; other [type="rec"]
      join [shape=tripleoctagon]
      start -> par; par -> tests; par -> other; tests -> join; other -> join; join -> exit }`);
    expect(await result).toMatchObject({
      status: "failed",
      outcome: { failure_reason: expect.stringContaining("goal gate tests") },
    });
  });
});

describe("durability", () => {
  it("rides out a store that is briefly too busy to renew the lease", async () => {
    let failures = 0;
    const busy: Store = {
      ...store,
      renewLease: async (lease, ttl) => {
        if (failures++ < 2) throw new StoreError("store-busy", "busy", { isRetryable: true });
        return store.renewLease(lease, ttl);
      },
    };
    // Real sleeps here: the renewal timer must fire while the tool runs.
    const engine = createEngine({
      ...testEngineDeps(busy, dir),
      audit: createAuditLog({ store, redactor: createRedactor() }),
      leaseTtlMs: 600,
    });
    const source = `digraph g { start [shape=Mdiamond]; exit [shape=Msquare]; t [shape=parallelogram, tool_command="sleep 0.5"]; start -> t -> exit }`;
    const graph = loadPipeline(source, "t.dot").graph;
    if (!graph) throw new Error("graph did not parse");
    const result = await engine.start({
      boltId: "b1",
      intentId: "",
      pipeline: "t.dot",
      source,
      graph,
    });
    expect(failures).toBeGreaterThanOrEqual(2);
    expect(result.status).toBe("succeeded");
  });

  it("after a kill during a retry's backoff, resumes at the next attempt, not the failed one", async () => {
    class Killed extends Error {}
    let calls = 0;
    const flaky: Handler = {
      execute: async () =>
        ++calls === 1 ? { status: "fail", failure_reason: "first" } : { status: "success" },
    };
    const { run, registry } = engineWith(
      { flaky },
      {
        sleep: async () => {
          throw new Killed();
        },
      },
    );
    const { graph, result } = run(
      `digraph g { start [shape=Mdiamond]; exit [shape=Msquare]; f [type="flaky", max_retries=2]; start -> f -> exit }`,
    );
    await expect(result).rejects.toThrow(Killed);
    const second = createEngine(
      testEngineDeps(store, dir, { registry, owner: "test:2:b", isOwnerAlive: () => false }),
    );
    expect((await second.resume("b1", graph)).status).toBe("succeeded");
    const starts = (await store.readJournal("b1")).filter(
      (e) => e.kind === "node.start" && e.nodeId === "f",
    );
    expect(starts.map((e) => (e.data as { attempt: number }).attempt)).toEqual([1, 2]);
    expect(calls).toBe(2);
  });
});

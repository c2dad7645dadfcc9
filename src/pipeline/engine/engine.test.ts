import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyAuditLog } from "../../governance/index.js";
import { createSqliteStore, LeaseLostError, type Store } from "../../store/index.js";
import { loadPipeline } from "../load-pipeline.js";
import { testEngineDeps } from "./engine.fixture.js";
import { createEngine } from "./engine.js";
import type { EngineDeps } from "./engine-deps.js";
import type { Handler } from "./handler.js";
import type { Outcome } from "./outcome.js";

let dir: string;
let store: Store;
const secret = "s3cret-deploy-token-value";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "df-engine-"));
  store = createSqliteStore({ path: join(dir, "state.db") });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function setup(extra: Partial<EngineDeps> = {}, handlers: Record<string, Handler> = {}) {
  const deps = testEngineDeps(store, dir, { ...extra, handlers, secretValues: [secret] });
  return { engine: createEngine(deps), registry: deps.registry };
}

function graphOf(source: string, types?: ReadonlySet<string>) {
  const loaded = loadPipeline(source, "test.dot", types ? { knownTypes: types } : {});
  if (!loaded.graph || !loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.graph;
}

const start = (
  engine: ReturnType<typeof createEngine>,
  source: string,
  graph = graphOf(source),
  boltId = "b1",
) => engine.start({ boltId, intentId: "", pipeline: "test.dot", source, graph });

/** A custom handler that answers from a list, one outcome per call. */
function scripted(outcomes: Outcome[]): Handler & { calls: number } {
  const handler = {
    calls: 0,
    async execute() {
      const outcome = outcomes[Math.min(handler.calls, outcomes.length - 1)] ?? {
        status: "success" as const,
      };
      handler.calls++;
      return outcome;
    },
  };
  return handler;
}

describe("the engine", () => {
  it("journals retries with their backoff, and succeeds on the third attempt", async () => {
    const flaky = scripted([
      { status: "fail", failure_reason: "flaky" },
      { status: "retry" },
      { status: "success" },
    ]);
    const { engine, registry } = setup({ random: () => 0.25 }, { flaky });
    const source = `digraph g { start [shape=Mdiamond]; exit [shape=Msquare]; f [type="flaky", max_retries=2]; start -> f -> exit }`;
    const result = await start(engine, source, graphOf(source, registry.types()));
    expect(result.status).toBe("succeeded");
    expect(flaky.calls).toBe(3);
    const retries = (await store.readJournal("b1"))
      .filter((e) => e.kind === "node.retry")
      .map((e) => e.data);
    // standard preset: 200 ms then 400 ms, times a jitter of 0.5 + 0.25
    expect(retries).toEqual([
      { attempt: 1, delayMs: 150, reason: "flaky" },
      { attempt: 2, delayMs: 300, reason: "retry" },
    ]);
    expect((await verifyAuditLog(store)).ok).toBe(true);
  });

  it("turns a handler that throws into a FAIL outcome, and fails the bolt with its reason", async () => {
    const { engine, registry } = setup(
      {},
      { boom: { execute: async () => Promise.reject(new Error("kaput")) } },
    );
    const source = `digraph g { start [shape=Mdiamond]; exit [shape=Msquare]; b [type="boom"]; start -> b -> exit }`;
    const result = await start(engine, source, graphOf(source, registry.types()));
    expect(result).toMatchObject({
      status: "failed",
      outcome: { status: "fail", failure_reason: "handler error: kaput" },
    });
  });

  it("bounds a loop with max_visits: the extra entry fails the node without running it", async () => {
    const work = scripted([{ status: "fail", failure_reason: "not yet" }]);
    const { engine, registry } = setup({}, { work });
    const source = `digraph g {
      start [shape=Mdiamond]; exit [shape=Msquare]
      w [type="work", max_visits=3]
      start -> w
      w -> exit [condition="outcome=success"]
      w -> w [condition="outcome=fail"]
    }`;
    const result = await start(engine, source, graphOf(source, registry.types()));
    expect(work.calls).toBe(3);
    expect(result).toMatchObject({
      status: "failed",
      outcome: {
        failure_reason: "node w reached max_visits=3; the last failure was at w: not yet",
      },
    });
  });

  it("redacts secrets in tool output from the journal, the checkpoint and status.json", async () => {
    const { engine } = setup();
    const source = `digraph g { start [shape=Mdiamond]; exit [shape=Msquare]; t [shape=parallelogram, tool_command="echo token=${secret}"]; start -> t -> exit }`;
    const result = await start(engine, source);
    expect(result.status).toBe("succeeded");
    expect(result.context["tool.output"]).toBe("token=[REDACTED]");
    const journal = JSON.stringify(await store.readJournal("b1"));
    const checkpoint = JSON.stringify(await store.getCheckpoint("b1"));
    const status = readFileSync(join(dir, "runs", "b1", "t", "status.json"), "utf8");
    for (const text of [journal, checkpoint, status]) expect(text).not.toContain(secret);
  });

  it("runs tool commands without the factory's secrets in their environment", async () => {
    process.env.DF_TEST_SECRET_TOKEN = secret;
    try {
      const { engine } = setup();
      const source = `digraph g { start [shape=Mdiamond]; exit [shape=Msquare]; t [shape=parallelogram, tool_command="env"]; start -> t -> exit }`;
      const result = await start(engine, source);
      expect(String(result.context["tool.output"])).toContain("FACTORY_IDEMPOTENCY_KEY=b1:t:1:1");
      expect(String(result.context["tool.output"])).not.toContain("DF_TEST_SECRET_TOKEN");
    } finally {
      delete process.env.DF_TEST_SECRET_TOKEN;
    }
  });

  it("stops at the next node boundary once the bolt is cancelled", async () => {
    const canceller: Handler = {
      execute: async ({ boltId }) => {
        await store.setBoltStatus(boltId, "cancelled");
        return { status: "success" };
      },
    };
    const after = scripted([{ status: "success" }]);
    const { engine, registry } = setup({}, { canceller, after });
    const source = `digraph g { start [shape=Mdiamond]; exit [shape=Msquare]; c [type="canceller"]; a [type="after"]; start -> c -> a -> exit }`;
    const result = await start(engine, source, graphOf(source, registry.types()));
    expect(result.status).toBe("cancelled");
    expect(after.calls).toBe(0);
    expect((await store.getBolt("b1"))?.status).toBe("cancelled");
  });

  it("stops writing once another process has taken the lease over", async () => {
    const thief: Handler = {
      execute: async ({ boltId }) => {
        const held = await store.getLease(boltId);
        if (held) await store.acquireLease(boltId, "other:2:b", 60_000, { takeOverFrom: held });
        return { status: "success" };
      },
    };
    const { engine, registry } = setup({}, { thief });
    const source = `digraph g { start [shape=Mdiamond]; exit [shape=Msquare]; t [type="thief"]; start -> t -> exit }`;
    await expect(start(engine, source, graphOf(source, registry.types()))).rejects.toThrow(
      LeaseLostError,
    );
    const kinds = (await store.readJournal("b1")).map((e) => `${e.kind}:${e.nodeId ?? ""}`);
    expect(kinds.at(-1)).toBe("node.start:t");
  });

  it("does not enter an unconditional edge after a FAIL, and uses the retry target instead", async () => {
    const failing = scripted([{ status: "fail", failure_reason: "nope" }, { status: "success" }]);
    const { engine, registry } = setup({}, { failing });
    const source = `digraph g {
      start [shape=Mdiamond]; exit [shape=Msquare]
      f [type="failing", retry_target="recover"]
      happy [shape=parallelogram, tool_command="true"]
      recover [shape=parallelogram, tool_command="true"]
      start -> f -> happy -> exit
      recover -> exit
    }`;
    const result = await start(engine, source, graphOf(source, registry.types()));
    expect(result.completed).toEqual(["start", "f", "recover", "exit"]);
  });
});

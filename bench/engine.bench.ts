/**
 * Engine overhead per node on a 1,000-node linear graph of no-op tool nodes (the executor
 * returns at once, so only the engine and its journal are measured), against a baseline of
 * the bare durable minimum: two SQLite transactions per node. Then resume time after a kill
 * at node 900.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createAuditLog, createRedactor } from "../src/governance/index.js";
import {
  createDefaultRegistry,
  createEngine,
  type EngineDeps,
  loadPipeline,
  type ToolExecutor,
} from "../src/pipeline/index.js";
import { createSqliteStore } from "../src/store/index.js";

const NODES = 1_000;
const KILL_AT = 900;

const noopExecutor: ToolExecutor = {
  name: "noop",
  run: async () => ({ exitCode: 0, stdout: "", stderr: "", timedOut: false, ms: 0 }),
};

function linearGraph(n: number): string {
  const lines = [
    "digraph linear {",
    "  start [shape=Mdiamond]",
    "  exit [shape=Msquare]",
    '  node [shape=parallelogram, tool_command="true"]',
  ];
  for (let i = 1; i <= n; i++) lines.push(`  n${i}`);
  lines.push(
    `  start -> ${Array.from({ length: n }, (_, i) => `n${i + 1}`).join(" -> ")} -> exit`,
    "}",
  );
  return lines.join("\n");
}

class Killed extends Error {}

export async function benchEngine(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "df-bench-engine-"));
  try {
    const source = linearGraph(NODES);
    const loaded = loadPipeline(source, "linear.dot");
    if (!loaded.ok || !loaded.graph)
      throw new Error(`bench graph invalid: ${JSON.stringify(loaded.diagnostics[0])}`);
    const graph = loaded.graph;
    const store = createSqliteStore({ path: join(dir, "state.db") });
    const redactor = createRedactor();
    const deps = (owner: string, extra: Partial<EngineDeps> = {}): EngineDeps => ({
      store,
      audit: createAuditLog({ store, redactor }),
      redactor,
      registry: createDefaultRegistry({ executor: noopExecutor, redactor }),
      owner,
      actor: "bench",
      runsDir: join(dir, "runs"),
      ...extra,
    });

    // Baseline: the bare durable minimum per node, two transactions of one row each.
    const raw = new Database(join(dir, "raw.db"));
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.exec("CREATE TABLE j (seq INTEGER PRIMARY KEY, kind TEXT, node TEXT, data TEXT)");
    const insert = raw.prepare("INSERT INTO j (kind, node, data) VALUES (?, ?, ?)");
    const rawStart = process.hrtime.bigint();
    for (let i = 1; i <= NODES; i++) {
      raw.transaction(() => insert.run("node.start", `n${i}`, "{}")).immediate();
      raw
        .transaction(() => insert.run("node.outcome", `n${i}`, '{"status":"success"}'))
        .immediate();
    }
    const rawMs = Number(process.hrtime.bigint() - rawStart) / 1e6;
    raw.close();

    const heapBefore = process.memoryUsage().heapUsed;
    const runStart = process.hrtime.bigint();
    const result = await createEngine(deps("bench:1:a")).start({
      boltId: "bench-full",
      intentId: "",
      pipeline: "linear.dot",
      source,
      graph,
    });
    const runMs = Number(process.hrtime.bigint() - runStart) / 1e6;
    if (result.status !== "succeeded") throw new Error(`bench bolt ${result.status}`);
    const heapAfter = process.memoryUsage().heapUsed;

    // A kill at node 900, then a fresh engine resumes: time to the first resumed node, and to the end.
    const killer = createEngine(
      deps("bench:2:b", {
        checkpointHook: (point) => {
          if (point === `node-done:n${KILL_AT}`) throw new Killed();
        },
      }),
    );
    await killer
      .start({ boltId: "bench-killed", intentId: "", pipeline: "linear.dot", source, graph })
      .catch((error: unknown) => {
        if (!(error instanceof Killed)) throw error;
      });
    let firstNodeMs = 0;
    const resumeStart = process.hrtime.bigint();
    const resumer = createEngine(
      deps("bench:3:c", {
        isOwnerAlive: () => false,
        onEvent: (event) => {
          if (event.kind === "node.start" && firstNodeMs === 0)
            firstNodeMs = Number(process.hrtime.bigint() - resumeStart) / 1e6;
        },
      }),
    );
    const resumed = await resumer.resume("bench-killed", graph);
    const resumeMs = Number(process.hrtime.bigint() - resumeStart) / 1e6;
    if (resumed.status !== "succeeded") throw new Error(`resumed bench bolt ${resumed.status}`);
    await store.close();

    const perNode = runMs / NODES;
    const rawPerNode = rawMs / NODES;
    process.stdout.write(
      "\nengine (1,000-node linear graph of no-op tool nodes, journal and audit included)\n",
    );
    process.stdout.write(
      `  per node                                  ${perNode.toFixed(3).padStart(8)} ms   two bare SQLite transactions ${rawPerNode.toFixed(3)} ms   ratio ${(perNode / rawPerNode).toFixed(2)}   target < 2 ms: ${perNode < 2 ? "met" : "MISSED"}\n`,
    );
    process.stdout.write(
      `  resume after a kill at node ${KILL_AT}          ${firstNodeMs.toFixed(1).padStart(8)} ms to the first resumed node, ${resumeMs.toFixed(1)} ms to the end of the bolt   target < 1 s: ${firstNodeMs < 1000 ? "met" : "MISSED"}\n`,
    );
    process.stdout.write(
      `  heap growth across the 1,000-node run ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MB\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

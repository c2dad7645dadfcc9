/**
 * A real engine for the conformance suite: a SQLite store and audit log in a temporary folder,
 * the default handlers with a recording LLM backend, no-op sleeps and a seeded random, so
 * retries cost no time and every run is repeatable.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { createAuditLog, createRedactor } from "../../../src/governance/index.js";
import {
  type BoltResult,
  createDefaultRegistry,
  createEngine,
  createLocalExecutor,
  type Engine,
  type EngineDeps,
  type EngineEvent,
  type HandlerRegistry,
  type Interviewer,
  type PipelineNode,
} from "../../../src/pipeline/index.js";
import { createSqliteStore, type Store } from "../../../src/store/index.js";
import type { LoadedGraph } from "./load-graph.js";
import { createRecordingBackend, type RecordingBackend, type Script } from "./recording-backend.js";

export interface RigOptions {
  script?: Script;
  /** Without one, human gates park the bolt as "waiting". */
  interviewer?: Interviewer;
  beforeReply?: (node: PipelineNode) => Promise<void>;
}

export interface Rig {
  dir: string;
  runsDir: string;
  store: Store;
  backend: RecordingBackend;
  registry: HandlerRegistry;
  events: EngineEvent[];
  /** Every backoff delay the engine asked to sleep, in order. */
  sleeps: number[];
  /** A fresh engine over this rig's store and registry; `overrides` replace any dependency. */
  engine(overrides?: Partial<EngineDeps>): Engine;
  /** Starts `boltId` (default `bolt-1`) on a fresh engine. */
  run(
    loaded: LoadedGraph,
    options?: { boltId?: string; deps?: Partial<EngineDeps> },
  ): Promise<BoltResult>;
  /** `<runsDir>/<boltId>/<relative>`. */
  path(boltId: string, ...relative: string[]): string;
  /** A JSON file in the bolt's run folder, or undefined when it was not written. */
  readJson<T = Record<string, unknown>>(boltId: string, ...relative: string[]): T | undefined;
}

/** A small deterministic PRNG (mulberry32) for backoff jitter. */
export function seededRandom(seed = 42): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Call inside a test: the folder and store are removed when the test finishes. */
export function createRig(options: RigOptions = {}): Rig {
  const dir = mkdtempSync(join(tmpdir(), "df-attractor-"));
  const runsDir = join(dir, "runs");
  const store = createSqliteStore({ path: join(dir, "state.db") });
  const redactor = createRedactor();
  const audit = createAuditLog({ store, redactor });
  const backend = createRecordingBackend(options.script, options.beforeReply);
  const registry = createDefaultRegistry({
    executor: createLocalExecutor(),
    redactor,
    codergen: backend,
    ...(options.interviewer ? { interviewer: options.interviewer } : {}),
  });
  const events: EngineEvent[] = [];
  const sleeps: number[] = [];
  onTestFinished(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const engine = (overrides: Partial<EngineDeps> = {}) =>
    createEngine({
      store,
      audit,
      redactor,
      registry,
      owner: "conformance:1:a",
      actor: "user:test",
      runsDir,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: seededRandom(),
      onEvent: (event) => events.push(event),
      ...overrides,
    });
  const path = (boltId: string, ...relative: string[]) => join(runsDir, boltId, ...relative);

  return {
    dir,
    runsDir,
    store,
    backend,
    registry,
    events,
    sleeps,
    engine,
    path,
    run: (loaded, { boltId = "bolt-1", deps } = {}) => {
      if (!loaded.graph) throw new Error(`${loaded.name} has no graph to run`);
      return engine(deps).start({
        boltId,
        intentId: "intent-conformance",
        pipeline: loaded.file,
        source: loaded.source,
        graph: loaded.graph,
      });
    },
    readJson: <T>(boltId: string, ...relative: string[]) => {
      const file = path(boltId, ...relative);
      return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
    },
  };
}

/** Reads a conformance graph from `test/attractor/graphs/` and loads it as the CLI would. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRedactor } from "../../../src/governance/index.js";
import {
  createDefaultRegistry,
  createLocalExecutor,
  loadPipeline,
  type PipelineDiagnostic,
  type PipelineGraph,
} from "../../../src/pipeline/index.js";
import { createRecordingBackend } from "./recording-backend.js";

export const graphsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "graphs");

/** The handler types of the default registry with a codergen backend: what our runs can execute. */
export const defaultTypes: ReadonlySet<string> = createDefaultRegistry({
  executor: createLocalExecutor(),
  redactor: createRedactor(),
  codergen: createRecordingBackend(),
}).types();

export interface LoadedGraph {
  /** The file name without `.dot`. */
  name: string;
  file: string;
  source: string;
  /** Present when the graph loaded without errors. */
  graph?: PipelineGraph;
  ok: boolean;
  diagnostics: PipelineDiagnostic[];
}

export function loadGraph(name: string, knownTypes: Iterable<string> = defaultTypes): LoadedGraph {
  const file = join(graphsDir, `${name}.dot`);
  const source = readFileSync(file, "utf8");
  const loaded = loadPipeline(source, file, { knownTypes: new Set(knownTypes) });
  return {
    name,
    file,
    source,
    ok: loaded.ok,
    diagnostics: loaded.diagnostics,
    ...(loaded.graph ? { graph: loaded.graph } : {}),
  };
}

/** Like `loadGraph`, but the graph must load: errors fail the test with their messages. */
export function loadValidGraph(
  name: string,
  knownTypes?: Iterable<string>,
): LoadedGraph & { graph: PipelineGraph } {
  const loaded = loadGraph(name, knownTypes);
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  if (!loaded.ok || !loaded.graph || errors.length > 0) {
    throw new Error(
      `${name}.dot did not load:\n${errors.map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`).join("\n")}`,
    );
  }
  return { ...loaded, graph: loaded.graph };
}

/**
 * From DOT text to a runnable graph (§9.1): parse, apply transforms (the stylesheet, `$goal`,
 * then the caller's), validate. The file-reading variant is the only part that does IO.
 */
import { readFile, stat } from "node:fs/promises";
import { InputError, sortDiagnostics } from "../common/index.js";
import { parseDot } from "./dot/parse-dot.js";
import type { PipelineGraph } from "./graph.js";
import { applyStylesheet, parseStylesheet } from "./stylesheet/index.js";
import type { LintRule, PipelineDiagnostic } from "./validate/index.js";
import { validatePipeline } from "./validate/index.js";

export type { LintRule, PipelineDiagnostic } from "./validate/index.js";

/** Rewrites a parsed graph in place, between parsing and validation (§9.3). */
export type PipelineTransform = (graph: PipelineGraph) => void;

export interface LoadPipelineOptions {
  /** Handler types the registry can run; see `ValidateOptions.knownTypes`. */
  knownTypes?: ReadonlySet<string>;
  /** Run after the built-in transforms, in order. */
  extraTransforms?: readonly PipelineTransform[];
  extraRules?: readonly LintRule[];
}

export interface LoadedPipeline {
  /** False when any diagnostic is an error: the engine must not run the graph (§7.1). */
  ok: boolean;
  /** Present whenever the text parsed, even with errors, so tools can still show it. */
  graph?: PipelineGraph;
  /** Sorted by line, then column. */
  diagnostics: PipelineDiagnostic[];
}

/** Applies `model_stylesheet` (§8). A stylesheet that does not parse is left to `stylesheet_syntax`. */
export const stylesheetTransform: PipelineTransform = (graph) => {
  const text = graph.attrs.model_stylesheet;
  if (!text?.trim()) return;
  const parsed = parseStylesheet(text);
  if (parsed.ok) applyStylesheet(graph, parsed.rules);
};

/** Replaces `$goal` in every node's `prompt` with the graph's `goal` (§9.2); labels are display text and stay as written. */
export const goalExpansionTransform: PipelineTransform = (graph) => {
  const goal = graph.attrs.goal ?? "";
  for (const node of graph.nodes.values()) {
    for (const key of ["prompt"]) {
      const value = node.attrs[key];
      if (value?.includes("$goal")) node.attrs[key] = value.replaceAll("$goal", goal);
    }
  }
};

export const BUILT_IN_TRANSFORMS: readonly PipelineTransform[] = [
  stylesheetTransform,
  goalExpansionTransform,
];

/** Pure: never throws for bad content and never reads the file system. */
export function loadPipeline(
  text: string,
  file: string,
  options: LoadPipelineOptions = {},
): LoadedPipeline {
  const parsed = parseDot(text, file);
  if (!parsed.ok) return { ok: false, diagnostics: sortDiagnostics([...parsed.issues]) };
  const { graph } = parsed;
  for (const transform of [...BUILT_IN_TRANSFORMS, ...(options.extraTransforms ?? [])])
    transform(graph);
  const diagnostics = validatePipeline(graph, {
    ...(options.knownTypes ? { knownTypes: options.knownTypes } : {}),
    ...(options.extraRules ? { extraRules: options.extraRules } : {}),
  });
  return { ok: !diagnostics.some((d) => d.severity === "error"), graph, diagnostics };
}

/** @throws InputError `pipeline-not-found` (exit 2) when `path` is missing or is a directory. */
export async function loadPipelineFile(
  path: string,
  options: LoadPipelineOptions = {},
): Promise<LoadedPipeline> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || info.isDirectory()) {
    throw new InputError(
      "pipeline-not-found",
      info ? `${path} is a directory, not a pipeline file` : `no pipeline file at ${path}`,
      {
        hint: info
          ? `name one file inside it, e.g. ${path.replace(/\/$/, "")}/<pipeline>.dot`
          : "check the path; a pipeline is a .dot file containing digraph Name { ... }",
      },
    );
  }
  return loadPipeline(await readFile(path, "utf8"), path, options);
}

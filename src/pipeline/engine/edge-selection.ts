/** Choosing the next edge (§3.3), and failure routing (§3.7), as pure functions of the graph and an outcome. */
import { evaluateConditionText } from "../condition/index.js";
import { outgoingEdges, type PipelineEdge, type PipelineGraph } from "../graph.js";
import type { Outcome } from "./outcome.js";
import type { RunContext } from "./run-context.js";

/** Lowercase, trimmed, without an accelerator prefix such as `[Y] `, `Y) ` or `Y - `. */
export function normalizeLabel(label: string): string {
  return label
    .trim()
    .replace(/^\[[^\]]+\]\s*/, "")
    .replace(/^[A-Za-z0-9]\)\s+/, "")
    .replace(/^[A-Za-z0-9]\s+-\s+/, "")
    .trim()
    .toLowerCase();
}

/** The accelerator key of a label (§4.6): `[K] x`, `K) x`, `K - x`, else the first character. */
export function acceleratorKey(label: string): string {
  const match =
    /^\[([^\]]+)\]/.exec(label.trim()) ??
    /^([A-Za-z0-9])\)\s/.exec(label.trim()) ??
    /^([A-Za-z0-9])\s+-\s/.exec(label.trim());
  return (match?.[1] ?? label.trim().charAt(0)).toUpperCase();
}

const weightOf = (edge: PipelineEdge) => Number.parseInt(edge.attrs.weight ?? "0", 10) || 0;

function bestByWeightThenLexical(edges: PipelineEdge[]): PipelineEdge | undefined {
  return [...edges].sort(
    (a, b) => weightOf(b) - weightOf(a) || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0),
  )[0];
}

export interface EdgeChoice {
  edge: PipelineEdge;
  /** Which step of §3.3 chose it. */
  reason: "condition" | "preferred_label" | "suggested_next_ids" | "weight";
}

export function selectEdge(
  graph: PipelineGraph,
  nodeId: string,
  outcome: Outcome,
  context: RunContext,
): EdgeChoice | undefined {
  const edges = outgoingEdges(graph, nodeId);
  const scope = {
    outcome: outcome.status,
    preferredLabel: outcome.preferred_label ?? "",
    context: context.asMap(),
  };
  const matched = edges.filter(
    (e) =>
      (e.attrs.condition ?? "").trim() !== "" &&
      evaluateConditionText(e.attrs.condition ?? "", scope),
  );
  const byCondition = bestByWeightThenLexical(matched);
  if (byCondition) return { edge: byCondition, reason: "condition" };
  // A failed stage follows only an edge whose condition names the failure (§3.7); it never
  // slips through an unconditional edge as §3.2's pseudocode would allow.
  if (outcome.status === "fail") return undefined;

  const unconditional = edges.filter((e) => (e.attrs.condition ?? "").trim() === "");
  if (outcome.preferred_label) {
    const wanted = normalizeLabel(outcome.preferred_label);
    const byLabel = unconditional.find((e) => normalizeLabel(e.attrs.label ?? "") === wanted);
    if (byLabel) return { edge: byLabel, reason: "preferred_label" };
  }
  for (const id of outcome.suggested_next_ids ?? []) {
    const bySuggestion = unconditional.find((e) => e.to === id);
    if (bySuggestion) return { edge: bySuggestion, reason: "suggested_next_ids" };
  }
  const byWeight = bestByWeightThenLexical(unconditional);
  return byWeight ? { edge: byWeight, reason: "weight" } : undefined;
}

/** Where a failed node goes when no fail edge matched: its retry target, then its fallback (§3.7). */
export function failureTarget(graph: PipelineGraph, nodeId: string): string | undefined {
  const node = graph.nodes.get(nodeId);
  for (const key of ["retry_target", "fallback_retry_target"]) {
    const target = node?.attrs[key];
    if (target && graph.nodes.has(target)) return target;
  }
  return undefined;
}

/** Where an unsatisfied goal gate sends the run (§3.4): node targets first, then the graph's. */
export function goalGateTarget(graph: PipelineGraph, gateId: string): string | undefined {
  const fromNode = failureTarget(graph, gateId);
  if (fromNode) return fromNode;
  for (const key of ["retry_target", "fallback_retry_target"]) {
    const target = graph.attrs[key];
    if (target && graph.nodes.has(target)) return target;
  }
  return undefined;
}

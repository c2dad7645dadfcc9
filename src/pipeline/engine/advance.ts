/** One step's routing, shared by the main loop and parallel branches so the two cannot drift apart. */
import { attrInt, nodeType, type PipelineGraph, type PipelineNode } from "../graph.js";
import { failureTarget, selectEdge } from "./edge-selection.js";
import type { Outcome } from "./outcome.js";
import type { RunContext } from "./run-context.js";

export interface Advance {
  next?: string;
  reason:
    | "jump_to"
    | "condition"
    | "preferred_label"
    | "suggested_next_ids"
    | "weight"
    | "retry_target"
    | "none";
  edge?: string;
}

/** Applies a node's outcome to the context as §3.2 step 4 does. */
export function applyOutcome(context: RunContext, outcome: Outcome, nodeId: string): void {
  context.applyUpdates(outcome.context_updates);
  context.set("outcome", outcome.status);
  if (outcome.preferred_label) context.set("preferred_label", outcome.preferred_label);
  // Kept so that a loop stopped by max_visits can say what kept sending it round.
  if (outcome.status === "fail" && outcome.failure_reason)
    context.set("internal.last_failure", `${nodeId}: ${outcome.failure_reason}`);
}

/**
 * Our `max_visits` extension, bounding a loop: the failure for entering `node` once too often,
 * naming the last failure that sent the run round; undefined while within bounds.
 */
export function visitLimitFailure(
  node: PipelineNode,
  visit: number,
  context: RunContext,
): Outcome | undefined {
  const maxVisits = attrInt(node.attrs, "max_visits");
  if (maxVisits === undefined || visit <= maxVisits) return undefined;
  const last = context.get("internal.last_failure");
  return {
    status: "fail",
    failure_reason: `node ${node.id} reached max_visits=${maxVisits}${
      typeof last === "string" ? `; the last failure was at ${last}` : ""
    }`,
  };
}

export function advance(
  graph: PipelineGraph,
  node: PipelineNode,
  outcome: Outcome,
  context: RunContext,
): Advance {
  if (outcome.jump_to && graph.nodes.has(outcome.jump_to))
    return { next: outcome.jump_to, reason: "jump_to" };
  const retryTarget = (): Advance => {
    const target = outcome.status === "fail" ? failureTarget(graph, node.id) : undefined;
    return target ? { next: target, reason: "retry_target" } : { reason: "none" };
  };
  // A parallel node's edges are its branches, already run: the run never goes down one again.
  if (nodeType(node) === "parallel") return retryTarget();
  const choice = selectEdge(graph, node.id, outcome, context);
  if (choice)
    return {
      next: choice.edge.to,
      reason: choice.reason,
      edge: `${choice.edge.from}->${choice.edge.to}`,
    };
  return retryTarget();
}

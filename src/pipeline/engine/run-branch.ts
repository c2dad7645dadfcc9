/**
 * A parallel branch (§4.8): the same node execution and routing as the main loop, journaled,
 * on the branch's own context, until it reaches a fan-in, an exit or a dead end.
 */
import type { Lease } from "../../store/index.js";
import { isExitNode, nodeType, type PipelineGraph } from "../graph.js";
import { advance, applyOutcome, visitLimitFailure } from "./advance.js";
import type { EngineDeps } from "./engine-deps.js";
import { executeNode } from "./execute-node.js";
import type { BranchResult } from "./handler.js";
import { isWaiting, type Outcome, type StageStatus } from "./outcome.js";
import type { RunContext } from "./run-context.js";
import { writeStatusFile } from "./run-files.js";

export interface BranchRun {
  deps: EngineDeps;
  boltId: string;
  graph: PipelineGraph;
  lease: () => Lease;
  /** `<parallel node>@<visit>/<branch start>`: prefixes idempotency keys and journal entries. */
  scope: string;
  /** Every node outcome in the branch, for goal gates. */
  onOutcome: (nodeId: string, status: StageStatus) => void;
}

export async function runBranch(
  run: BranchRun,
  from: string,
  context: RunContext,
  signal: AbortSignal,
): Promise<BranchResult> {
  const { deps, boltId, graph } = run;
  const visits = new Map<string, number>();
  const end = (outcome: Outcome, joinedAt?: string): BranchResult => ({
    id: from,
    outcome,
    context: context.snapshot(),
    ...(joinedAt ? { joinedAt } : {}),
  });
  let current = graph.nodes.get(from);
  let last: Outcome = { status: "success" };
  // A fan-in reached by a nested fan-out's jump belongs to that fan-out: run it, don't stop at it.
  let nestedJoin = false;
  while (current && !signal.aborted) {
    if (isExitNode(current) || (nodeType(current) === "parallel.fan_in" && !nestedJoin)) {
      return end(last, current.id);
    }
    const node = current;
    const visit = (visits.get(node.id) ?? 0) + 1;
    visits.set(node.id, visit);
    const overVisited = visitLimitFailure(node, visit, context);
    if (overVisited) return end(overVisited);
    const started = Date.now();
    const result = await executeNode({
      deps,
      graph,
      node,
      context,
      boltId,
      visit,
      scope: run.scope,
      firstAttempt: 1,
      signal,
      recorder: { started: async () => undefined, retrying: async () => undefined },
      runBranch: (f, c, s) =>
        runBranch({ ...run, scope: `${run.scope}/${node.id}@${visit}/${f}` }, f, c, s),
    });
    if (signal.aborted) break;
    if (isWaiting(result)) {
      return end({
        status: "fail",
        failure_reason: `a human gate (${node.id}) inside a parallel branch is not supported`,
      });
    }
    const { attempts, ...raw } = result as Outcome & { attempts: number };
    const outcome = deps.redactor.redact(raw);
    last = outcome;
    if (outcome.status !== "skipped") run.onOutcome(node.id, outcome.status);
    applyOutcome(context, outcome, node.id);
    const route = advance(graph, node, outcome, context);
    writeStatusFile(deps.runsDir, boltId, node.id, outcome);
    await deps.store.recordProgress(boltId, {
      lease: run.lease(),
      journal: [
        {
          kind: "branch.outcome",
          nodeId: node.id,
          data: { scope: run.scope, ...outcome, attempts, next: route.next ?? null },
        },
      ],
    });
    deps.onEvent?.({
      kind: "node.outcome",
      boltId,
      node: node.id,
      status: outcome.status,
      attempt: attempts,
      ms: Date.now() - started,
      branch: from,
    });
    if (!route.next) return end(outcome);
    nestedJoin = route.reason === "jump_to";
    current = graph.nodes.get(route.next);
  }
  return end(signal.aborted ? { status: "fail", failure_reason: "cancelled" } : last);
}

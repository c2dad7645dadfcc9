/**
 * Parallel fan-out (§4.8): each outgoing edge is a branch run with a clone of the context,
 * at most `max_parallel` at a time. Branch contexts are not merged back; what each branch
 * changed goes to `parallel.results` for the fan-in, and the run continues at the fan-in the
 * branches reached (`jump_to`), never down a branch again.
 */

import type { BranchResult, Handler } from "../engine/handler.js";
import type { StageStatus } from "../engine/outcome.js";
import { attrInt, outgoingEdges } from "../graph.js";

export interface BranchSummary {
  id: string;
  status: StageStatus;
  notes: string | null;
  failure_reason: string | null;
  score: number;
  /** The context keys the branch set or changed (not `parallel.*`, so nesting cannot snowball). */
  changes: Record<string, unknown>;
}

export const parallelHandler: Handler = {
  async execute({ node, graph, context, runBranch, signal }) {
    const branches = outgoingEdges(graph, node.id);
    if (branches.length === 0)
      return { status: "fail", failure_reason: "parallel node has no branches" };
    const policy = node.attrs.join_policy ?? "wait_all";
    const limit = Math.max(1, attrInt(node.attrs, "max_parallel", 4) ?? 4);
    // first_success cancels the branches still running once one has succeeded; so does the run stopping.
    const cancel = new AbortController();
    const stop = () => cancel.abort();
    signal.addEventListener("abort", stop, { once: true });
    const before = context.snapshot();
    const results: (BranchResult | undefined)[] = new Array(branches.length);
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < branches.length) {
        const index = nextIndex++;
        const edge = branches[index];
        if (!edge) return;
        const result = await runBranch(edge.to, context.clone(), cancel.signal);
        results[index] = result;
        if (policy === "first_success" && result.outcome.status === "success") cancel.abort();
      }
    };
    let settled: PromiseSettledResult<void>[];
    try {
      settled = await Promise.allSettled(
        Array.from({ length: Math.min(limit, branches.length) }, worker),
      );
    } finally {
      cancel.abort();
      signal.removeEventListener("abort", stop);
    }
    // A branch that threw (the store, a lost lease) stops the run rather than becoming a result.
    const thrown = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (thrown) throw thrown.reason;

    const done = results.filter((r): r is BranchResult => r !== undefined);
    const summaries: BranchSummary[] = done.map((r) => ({
      id: r.id,
      status: r.outcome.status,
      notes: r.outcome.notes ?? null,
      failure_reason: r.outcome.failure_reason ?? null,
      score: Number(r.context["parallel.score"] ?? 0) || 0,
      changes: changedKeys(before, r.context),
    }));
    const joins = [
      ...new Set(done.map((r) => r.joinedAt).filter((id): id is string => id !== undefined)),
    ];
    if (joins.length > 1) {
      return {
        status: "fail",
        failure_reason: `the branches reached different fan-ins (${joins.join(", ")})`,
        context_updates: { "parallel.results": summaries },
      };
    }
    const successes = done.filter((r) => r.outcome.status === "success").length;
    const failures = done.filter((r) => r.outcome.status === "fail").length;
    const status: StageStatus =
      policy === "first_success"
        ? successes > 0
          ? "success"
          : "fail"
        : failures === 0
          ? "success"
          : "partial_success";
    return {
      status,
      context_updates: { "parallel.results": summaries },
      ...(joins[0] ? { jump_to: joins[0] } : {}),
      notes: `${done.length} branches: ${successes} succeeded, ${failures} failed (${policy})`,
      ...(status === "fail" ? { failure_reason: "no branch succeeded" } : {}),
    };
  },
};

function changedKeys(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (key.startsWith("parallel.")) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(value)) out[key] = value;
  }
  return out;
}

/** Fan-in (§4.9): picks the best branch by status, then score, then id. */
export const fanInHandler: Handler = {
  async execute({ context }) {
    const results = context.get("parallel.results") as BranchSummary[] | undefined;
    if (!results || results.length === 0)
      return { status: "fail", failure_reason: "No parallel results to evaluate" };
    const rank: Record<string, number> = { success: 0, partial_success: 1, retry: 2, fail: 3 };
    const sorted = [...results].sort(
      (a, b) =>
        (rank[a.status] ?? 4) - (rank[b.status] ?? 4) ||
        b.score - a.score ||
        a.id.localeCompare(b.id),
    );
    const best = sorted[0];
    if (!best || best.status === "fail")
      return { status: "fail", failure_reason: "every parallel branch failed" };
    return {
      status: "success",
      context_updates: {
        "parallel.fan_in.best_id": best.id,
        "parallel.fan_in.best_outcome": best.status,
      },
      notes: `Selected best candidate: ${best.id}`,
    };
  },
};

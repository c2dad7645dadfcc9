/**
 * Parallel fan-out (§4.8): each outgoing edge is a branch run with a clone of the context,
 * at most `max_parallel` at a time. Branch contexts are not merged back; the results go to
 * `parallel.results` for the fan-in, and the run continues at the fan-in the branches reached.
 */

import type { BranchResult, Handler } from "../engine/handler.js";
import { attrInt, outgoingEdges } from "../graph.js";

export const parallelHandler: Handler = {
  async execute({ node, graph, context, runBranch, signal }) {
    const branches = outgoingEdges(graph, node.id);
    if (branches.length === 0)
      return { status: "fail", failure_reason: "parallel node has no branches" };
    const policy = node.attrs.join_policy ?? "wait_all";
    const limit = Math.max(1, attrInt(node.attrs, "max_parallel", 4) ?? 4);
    // first_success cancels the branches still running once one has succeeded.
    const cancel = new AbortController();
    signal.addEventListener("abort", () => cancel.abort(), { once: true });
    const results: BranchResult[] = new Array(branches.length);
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
    await Promise.all(Array.from({ length: Math.min(limit, branches.length) }, worker));

    const done = results.filter((r): r is BranchResult => r !== undefined);
    const serialised = done.map((r) => ({
      id: r.id,
      status: r.outcome.status,
      notes: r.outcome.notes ?? null,
      failure_reason: r.outcome.failure_reason ?? null,
      score: Number(r.context["parallel.score"] ?? 0) || 0,
      context: r.context,
    }));
    const joins = [
      ...new Set(done.map((r) => r.joinedAt).filter((id): id is string => id !== undefined)),
    ];
    const successes = done.filter((r) => r.outcome.status === "success").length;
    const failures = done.filter((r) => r.outcome.status === "fail").length;
    const status =
      policy === "first_success"
        ? successes > 0
          ? "success"
          : "fail"
        : failures === 0
          ? "success"
          : "partial_success";
    return {
      status,
      // The engine goes on at the fan-in the branches reached, not down a branch again.
      context_updates: { "parallel.results": serialised },
      ...(joins.length === 1 && joins[0] ? { jump_to: joins[0] } : {}),
      notes: `${done.length} branches: ${successes} succeeded, ${failures} failed (${policy})`,
      ...(status === "fail" ? { failure_reason: "no branch succeeded" } : {}),
    };
  },
};

/** Fan-in (§4.9): picks the best branch by status, then score, then id. */
export const fanInHandler: Handler = {
  async execute({ context }) {
    const results = context.get("parallel.results") as
      | { id: string; status: string; score: number }[]
      | undefined;
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

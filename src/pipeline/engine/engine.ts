import type { AuditEvent } from "../../governance/index.js";
import { sealAuditEntry } from "../../governance/index.js";
import {
  type BoltStatus,
  isFinished,
  type JournalDraft,
  type Lease,
  LeaseLostError,
} from "../../store/index.js";
import { attrBool, isExitNode, isStartNode, nodeType, type PipelineGraph } from "../graph.js";
import { advance, applyOutcome, visitLimitFailure } from "./advance.js";
import type { BoltResult } from "./bolt-result.js";
import { type Checkpoint, initialCheckpoint } from "./checkpoint.js";
import { goalGateTarget } from "./edge-selection.js";
import type { EngineDeps } from "./engine-deps.js";
import { abortReason, BoltInterruptedError, BoltNotResumableError } from "./engine-errors.js";
import { executeNode, idempotencyKey } from "./execute-node.js";
import { park, storedAnswer } from "./human-gate.js";
import { takeLease } from "./lease.js";
import { isSuccessful, isWaiting, type Outcome } from "./outcome.js";
import { runBranch } from "./run-branch.js";
import { RunContext } from "./run-context.js";
import { writeCheckpointFile, writeStatusFile } from "./run-files.js";

export type { BoltResult } from "./bolt-result.js";

export interface StartBoltInput {
  boltId: string;
  intentId: string;
  /** Where the pipeline came from, e.g. its file path. */
  pipeline: string;
  source: string;
  graph: PipelineGraph;
  /** Entries the bolt starts with (the intent's file, say), checkpointed with the first step. */
  context?: Record<string, unknown>;
}

export interface Engine {
  start(input: StartBoltInput): Promise<BoltResult>;
  /** Continue a bolt from its checkpoint; `graph` must be the one parsed from the bolt's stored source. */
  resume(boltId: string, graph: PipelineGraph): Promise<BoltResult>;
}

export function createEngine(deps: EngineDeps): Engine {
  const ttl = deps.leaseTtlMs ?? 30_000;
  const now = deps.now ?? Date.now;

  return {
    async start(input) {
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(input.boltId)) {
        throw new BoltNotResumableError(
          input.boltId,
          "not a valid bolt id (letters, digits, . _ -)",
        );
      }
      await deps.store.createBolt({
        id: input.boltId,
        intentId: input.intentId,
        pipeline: input.pipeline,
        source: input.source,
        ...(input.context ? { seed: input.context } : {}),
        createdBy: deps.actor,
      });
      const lease = await takeLease(deps, input.boltId, ttl);
      const first = await begin(input.boltId, input.graph, lease, input.context);
      return drive(input.boltId, input.graph, first, lease);
    },

    async resume(boltId, graph) {
      const bolt = await deps.store.getBolt(boltId);
      if (!bolt) throw new BoltNotResumableError(boltId, "unknown");
      if (isFinished(bolt.status)) throw new BoltNotResumableError(boltId, bolt.status);
      const lease = await takeLease(deps, boltId, ttl);
      // Another process may have finished it between the first look and the lease.
      const latest = await deps.store.getBolt(boltId);
      const checkpoint = (await deps.store.getCheckpoint(boltId)) as Checkpoint | undefined;
      if (!latest || isFinished(latest.status) || checkpoint?.next === null) {
        await deps.store.releaseLease(lease);
        throw new BoltNotResumableError(boltId, latest?.status ?? "unknown");
      }
      // Killed between creating the bolt and its first step: begin it now.
      if (!checkpoint)
        return drive(boltId, graph, await begin(boltId, graph, lease, latest.seed), lease);
      await deps.store.recordProgress(boltId, {
        lease,
        journal: [
          {
            kind: "bolt.resume",
            data: { next: checkpoint.next, inProgress: checkpoint.inProgress ?? null },
          },
        ],
        status: "running",
        audit: audit([
          { action: "bolt.resume", subject: `bolt:${boltId}`, data: { next: checkpoint.next } },
        ]),
      });
      return drive(boltId, graph, checkpoint, lease);
    },
  };

  /** The first step: the context mirrors the graph's attributes (§3.1), the run starts at the start node. */
  async function begin(
    boltId: string,
    graph: PipelineGraph,
    lease: Lease,
    seed: Record<string, unknown> = {},
  ): Promise<Checkpoint> {
    const start = [...graph.nodes.values()].find(isStartNode);
    if (!start) throw new BoltNotResumableError(boltId, "without a start node");
    const context = new RunContext(Object.entries(seed));
    for (const [key, value] of Object.entries(graph.attrs)) context.set(`graph.${key}`, value);
    const checkpoint = initialCheckpoint(start.id, deps.redactor.redact(context.snapshot()));
    const bolt = await deps.store.getBolt(boltId);
    const data = {
      pipeline: bolt?.pipeline ?? null,
      intent: bolt?.intentId || null,
      graph: graph.id,
    };
    await deps.store.recordProgress(boltId, {
      lease,
      journal: [{ kind: "bolt.start", data }],
      checkpoint,
      status: "running",
      audit: audit([{ action: "bolt.start", subject: `bolt:${boltId}`, data }]),
    });
    return checkpoint;
  }

  function audit(events: Omit<AuditEvent, "actor">[]) {
    return {
      drafts: deps.audit.prepare(events.map((e) => ({ actor: deps.actor, ...e }))),
      seal: sealAuditEntry,
    };
  }

  async function drive(
    boltId: string,
    graph: PipelineGraph,
    cp: Checkpoint,
    initialLease: Lease,
  ): Promise<BoltResult> {
    let lease = initialLease;
    const controller = new AbortController();
    const renewal = setInterval(
      () => {
        deps.store.renewLease(lease, ttl).then(
          (renewed) => {
            lease = renewed;
          },
          // A busy store is tried again at the next tick; only a lost lease stops the run.
          (error: unknown) => {
            if (error instanceof LeaseLostError) controller.abort(error);
          },
        );
      },
      Math.max(50, Math.floor(ttl / 3)),
    );
    renewal.unref();
    const interrupt = () => controller.abort(new BoltInterruptedError(boltId));
    deps.signal?.addEventListener("abort", interrupt, { once: true });
    if (deps.signal?.aborted) interrupt();
    const context = new RunContext(Object.entries(cp.context));
    const record = (
      journal: JournalDraft[],
      extra: { status?: BoltStatus; events?: Omit<AuditEvent, "actor">[] } = {},
    ) => {
      cp.context = context.snapshot();
      return deps.store.recordProgress(boltId, {
        lease,
        journal: journal.map((d) => ({ ...d, data: deps.redactor.redact(d.data) })),
        checkpoint: cp,
        ...(extra.status ? { status: extra.status } : {}),
        ...(extra.events?.length ? { audit: audit(extra.events) } : {}),
      });
    };

    const finish = async (status: BoltResult["status"], outcome: Outcome): Promise<BoltResult> => {
      cp.next = null;
      delete cp.inProgress;
      await record([{ kind: "bolt.end", data: { status, outcome } }], {
        status,
        events: [
          {
            action: "bolt.end",
            subject: `bolt:${boltId}`,
            data: { status, failure_reason: outcome.failure_reason ?? null },
          },
        ],
      });
      await deps.audit.checkpoint(); // A signed checkpoint closes every finished bolt.
      writeCheckpointFile(deps.runsDir, boltId, cp, now());
      deps.onEvent?.({ kind: "bolt.end", boltId, status });
      return { boltId, status, outcome, context: context.snapshot(), completed: cp.completed };
    };

    try {
      for (;;) {
        if (controller.signal.aborted) throw abortReason(controller.signal, boltId, lease);
        const bolt = await deps.store.getBolt(boltId);
        if (bolt?.status === "cancelled")
          return await finish("cancelled", { status: "fail", failure_reason: "cancelled" });
        const node = cp.next === null ? undefined : graph.nodes.get(cp.next);
        if (!node)
          return await finish("failed", {
            status: "fail",
            failure_reason: `the run reached unknown node ${cp.next}`,
          });

        if (isExitNode(node)) {
          const unsatisfied = Object.entries(cp.outcomes).find(
            ([id, status]) =>
              attrBool(graph.nodes.get(id)?.attrs ?? {}, "goal_gate") && !isSuccessful(status),
          );
          if (!unsatisfied) {
            cp.completed.push(node.id);
            return await finish("succeeded", { status: "success", notes: "Pipeline completed" });
          }
          const target = goalGateTarget(graph, unsatisfied[0]);
          if (!target) {
            return await finish("failed", {
              status: "fail",
              failure_reason: `goal gate ${unsatisfied[0]} is unsatisfied (${unsatisfied[1]}) and no retry target is set`,
            });
          }
          cp.next = target;
          await record([
            {
              kind: "route",
              nodeId: node.id,
              data: { to: target, reason: "goal_gate", gate: unsatisfied[0] },
            },
          ]);
          continue;
        }

        const resuming = cp.inProgress?.node === node.id ? cp.inProgress : undefined;
        const visit = resuming?.visit ?? (cp.visits[node.id] ?? 0) + 1;
        cp.visits[node.id] = visit;
        const started = now();
        let outcome: Outcome;
        let attempts = resuming?.attempt ?? 1;
        // Routing this failure on could lead straight back into the loop: the bolt ends here.
        const overVisited = visitLimitFailure(node, visit, context);
        if (overVisited) return await finish("failed", overVisited);
        {
          context.set("current_node", node.id);
          const answer =
            nodeType(node) === "wait.human"
              ? await storedAnswer(deps, boltId, node.id, visit)
              : undefined;
          const result = await executeNode({
            deps,
            graph,
            node,
            context,
            boltId,
            visit,
            firstAttempt: resuming?.attempt ?? 1,
            signal: controller.signal,
            ...(answer ? { answer } : {}),
            runBranch: (from, branchContext, signal) =>
              runBranch(
                {
                  deps,
                  boltId,
                  graph,
                  lease: () => lease,
                  // Unique per visit of the parallel node and per branch, so keys never collide.
                  scope: `${node.id}@${visit}/${from}`,
                  // Goal gates inside branches count at the exit too (§3.4).
                  onOutcome: (id, status) => {
                    cp.outcomes[id] = status;
                  },
                },
                from,
                branchContext,
                signal,
              ),
            recorder: {
              started: async (attempt) => {
                cp.inProgress = { node: node.id, attempt, visit };
                // §5.1's retry counter, set only for nodes that retried, so the context does not
                // grow by a key for every node of a long graph.
                if (attempt > 1) context.set(`internal.retry_count.${node.id}`, attempt - 1);
                const key = idempotencyKey(boltId, undefined, node.id, visit, attempt);
                const sideEffect = deps.registry.resolve(node)?.sideEffect === true;
                await record([
                  {
                    kind: "node.start",
                    nodeId: node.id,
                    data: { attempt, visit, key, sideEffect },
                  },
                ]);
                deps.onEvent?.({ kind: "node.start", boltId, node: node.id, attempt });
              },
              retrying: async (attempt, delayMs, reason) => {
                cp.retries[node.id] = (cp.retries[node.id] ?? 0) + 1;
                // A kill during the backoff resumes at the next attempt, not the failed one again.
                cp.inProgress = { node: node.id, attempt: attempt + 1, visit };
                await record([
                  { kind: "node.retry", nodeId: node.id, data: { attempt, delayMs, reason } },
                ]);
                deps.onEvent?.({
                  kind: "node.retry",
                  boltId,
                  node: node.id,
                  attempt,
                  delayMs,
                  reason,
                });
              },
            },
          });
          attempts = result.attempts;
          // Stopped from outside (lease lost, interrupted): whatever the handler returned is not its outcome.
          if (controller.signal.aborted) throw abortReason(controller.signal, boltId, lease);
          if (isWaiting(result))
            return await park({
              deps,
              boltId,
              node,
              visit,
              question: result.question,
              record,
              context,
              cp,
              at: now(),
            });
          const { attempts: _ignored, ...rest } = result as Outcome & { attempts: number };
          // Redacted once here, so the context, checkpoint, journal and files downstream are clean.
          outcome = deps.redactor.redact(rest);
        }

        if (outcome.status !== "skipped") {
          cp.outcomes[node.id] = outcome.status;
          cp.completed.push(node.id);
        }
        applyOutcome(context, outcome, node.id);
        const route = advance(graph, node, outcome, context);
        const next = route.next;
        writeStatusFile(deps.runsDir, boltId, node.id, outcome);
        delete cp.inProgress;
        cp.next = next ?? null;
        const ms = now() - started;
        await record(
          [
            { kind: "node.outcome", nodeId: node.id, data: { ...outcome, attempts, ms } },
            {
              kind: "route",
              nodeId: node.id,
              data: { to: next ?? null, reason: route.reason, edge: route.edge ?? null },
            },
          ],
          {
            events: [
              {
                action: "node.outcome",
                subject: `bolt:${boltId}/${node.id}`,
                data: {
                  status: outcome.status,
                  attempts,
                  next: next ?? null,
                  failure_reason: outcome.failure_reason ?? null,
                },
              },
            ],
          },
        );
        deps.onEvent?.({
          kind: "node.outcome",
          boltId,
          node: node.id,
          status: outcome.status,
          attempt: attempts,
          ms,
          ...(next ? { next } : {}),
        });
        deps.checkpointHook?.(`node-done:${node.id}`);

        if (next === undefined) {
          return outcome.status === "fail"
            ? await finish("failed", outcome)
            : await finish("succeeded", {
                status: "success",
                notes: `Pipeline completed at ${node.id}, which has no next edge`,
              });
        }
      }
    } finally {
      clearInterval(renewal);
      deps.signal?.removeEventListener("abort", interrupt);
      // Whoever answers or resumes next takes it at once; a kill leaves it to expire or be taken over.
      await deps.store.releaseLease(lease).catch(() => false);
    }
  }
}

import type { AuditEvent } from "../../governance/index.js";
import { sealAuditEntry } from "../../governance/index.js";
import type { BoltStatus, JournalDraft, Lease } from "../../store/index.js";
import {
  attrBool,
  attrInt,
  isExitNode,
  isStartNode,
  nodeType,
  type PipelineGraph,
  type PipelineNode,
} from "../graph.js";
import { type Checkpoint, initialCheckpoint } from "./checkpoint.js";
import { failureTarget, goalGateTarget, selectEdge } from "./edge-selection.js";
import type { EngineDeps } from "./engine-deps.js";
import { BoltLeasedError, BoltNotResumableError } from "./engine-errors.js";
import { executeNode } from "./execute-node.js";
import { takeLease } from "./lease.js";
import { type Answer, isSuccessful, isWaiting, type Outcome, type Question } from "./outcome.js";
import { runBranch } from "./run-branch.js";
import { RunContext } from "./run-context.js";
import { writeCheckpointFile, writeStatusFile } from "./run-files.js";

export interface BoltResult {
  boltId: string;
  status: Exclude<BoltStatus, "pending" | "running">;
  outcome: Outcome;
  /** Set when the bolt waits for a person. */
  waiting?: { node: string; question: Question };
  context: Record<string, unknown>;
  completed: string[];
}

export interface StartBoltInput {
  boltId: string;
  intentId: string;
  /** Where the pipeline came from, e.g. its file path. */
  pipeline: string;
  source: string;
  graph: PipelineGraph;
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
      const start = [...input.graph.nodes.values()].find(isStartNode);
      if (!start) throw new BoltNotResumableError(input.boltId, "without a start node");
      await deps.store.createBolt({
        id: input.boltId,
        intentId: input.intentId,
        pipeline: input.pipeline,
        source: input.source,
      });
      const lease = await takeLease(deps, input.boltId, ttl);
      const context = new RunContext();
      for (const [key, value] of Object.entries(input.graph.attrs))
        context.set(`graph.${key}`, value);
      const checkpoint = initialCheckpoint(start.id, context.snapshot());
      await deps.store.recordProgress(input.boltId, {
        lease,
        journal: [
          {
            kind: "bolt.start",
            data: { pipeline: input.pipeline, graph: input.graph.id, intent: input.intentId },
          },
        ],
        checkpoint,
        status: "running",
        audit: audit([
          {
            action: "bolt.start",
            subject: `bolt:${input.boltId}`,
            data: { pipeline: input.pipeline, intent: input.intentId },
          },
        ]),
      });
      return drive(input.boltId, input.graph, checkpoint, lease);
    },

    async resume(boltId, graph) {
      const bolt = await deps.store.getBolt(boltId);
      if (!bolt) throw new BoltNotResumableError(boltId, "unknown");
      if (isTerminal(bolt.status)) throw new BoltNotResumableError(boltId, bolt.status);
      const lease = await takeLease(deps, boltId, ttl);
      // Another process may have finished it between the first look and the lease.
      const latest = await deps.store.getBolt(boltId);
      const checkpoint = (await deps.store.getCheckpoint(boltId)) as Checkpoint | undefined;
      if (!latest || !checkpoint || checkpoint.next === null || isTerminal(latest.status)) {
        await deps.store.releaseLease(lease);
        throw new BoltNotResumableError(
          boltId,
          latest && isTerminal(latest.status) ? latest.status : "without a next node",
        );
      }
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
          () => controller.abort(new Error("lease lost")),
        );
      },
      Math.max(50, Math.floor(ttl / 3)),
    );
    renewal.unref();
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
      writeCheckpointFile(deps.runsDir, boltId, cp, now());
      deps.onEvent?.({ kind: "bolt.end", boltId, status });
      return { boltId, status, outcome, context: context.snapshot(), completed: cp.completed };
    };

    try {
      for (;;) {
        if (controller.signal.aborted) throw new BoltLeasedError(boltId, lease);
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
        const maxVisits = attrInt(node.attrs, "max_visits");
        const started = now();
        let outcome: Outcome;
        let attempts = resuming?.attempt ?? 1;
        if (maxVisits !== undefined && visit > maxVisits) {
          // Our extension that bounds a loop. Routing the failure on could lead straight back
          // into the loop, so the bolt ends here, with the reason.
          return await finish("failed", {
            status: "fail",
            failure_reason: `node ${node.id} reached max_visits=${maxVisits}`,
          });
        }
        {
          context.set("current_node", node.id);
          const answer =
            nodeType(node) === "wait.human" ? await answerFor(boltId, node, visit) : undefined;
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
              runBranch({ deps, boltId, graph, lease: () => lease }, from, branchContext, signal),
            recorder: {
              started: async (attempt) => {
                cp.inProgress = { node: node.id, attempt, visit };
                // §5.1's retry counter, set only for nodes that retried, so the context does not
                // grow by a key for every node of a long graph.
                if (attempt > 1) context.set(`internal.retry_count.${node.id}`, attempt - 1);
                await record([
                  {
                    kind: "node.start",
                    nodeId: node.id,
                    data: { attempt, visit, key: `${boltId}:${node.id}:${visit}:${attempt}` },
                  },
                ]);
                deps.onEvent?.({ kind: "node.start", boltId, node: node.id, attempt });
              },
              retrying: async (attempt, delayMs, reason) => {
                cp.retries[node.id] = (cp.retries[node.id] ?? 0) + 1;
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
          if (isWaiting(result))
            return await park(boltId, node, visit, result.question, record, context, cp);
          const { attempts: _ignored, ...rest } = result as Outcome & { attempts: number };
          // Redacted once here, so the context, checkpoint, journal and files downstream are clean.
          outcome = deps.redactor.redact(rest);
        }

        if (outcome.status !== "skipped") {
          cp.outcomes[node.id] = outcome.status;
          cp.completed.push(node.id);
        }
        context.applyUpdates(outcome.context_updates);
        context.set("outcome", outcome.status);
        if (outcome.preferred_label) context.set("preferred_label", outcome.preferred_label);
        const jump =
          outcome.jump_to && graph.nodes.has(outcome.jump_to) ? outcome.jump_to : undefined;
        const choice = jump ? undefined : selectEdge(graph, node.id, outcome, context);
        const next =
          jump ??
          choice?.edge.to ??
          (outcome.status === "fail" ? failureTarget(graph, node.id) : undefined);
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
              data: {
                to: next ?? null,
                reason: jump ? "jump_to" : (choice?.reason ?? (next ? "retry_target" : "none")),
                edge: choice ? `${choice.edge.from}->${choice.edge.to}` : null,
              },
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
      // Whoever answers or resumes next takes it at once; a kill leaves it to expire or be taken over.
      await deps.store.releaseLease(lease).catch(() => false);
    }
  }

  async function answerFor(
    boltId: string,
    node: PipelineNode,
    visit: number,
  ): Promise<Answer | undefined> {
    const approval = await deps.store.getApproval(boltId, node.id, visit);
    return approval?.status === "answered" ? (approval.answer as Answer) : undefined;
  }

  async function park(
    boltId: string,
    node: PipelineNode,
    visit: number,
    question: Question,
    record: (
      journal: JournalDraft[],
      extra?: { status?: BoltStatus; events?: Omit<AuditEvent, "actor">[] },
    ) => Promise<unknown>,
    context: RunContext,
    cp: Checkpoint,
  ): Promise<BoltResult> {
    await deps.store.requestApproval({ boltId, nodeId: node.id, visit, question });
    await record([{ kind: "node.waiting", nodeId: node.id, data: { visit, question } }], {
      status: "waiting",
      events: [
        {
          action: "approval.request",
          subject: `bolt:${boltId}/${node.id}`,
          data: { visit, question: question.text },
        },
      ],
    });
    writeCheckpointFile(deps.runsDir, boltId, cp, now());
    deps.onEvent?.({ kind: "bolt.waiting", boltId, node: node.id, question: question.text });
    return {
      boltId,
      status: "waiting",
      outcome: { status: "retry", notes: `waiting for a person at ${node.id}` },
      waiting: { node: node.id, question },
      context: context.snapshot(),
      completed: cp.completed,
    };
  }
}

function isTerminal(status: BoltStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled";
}

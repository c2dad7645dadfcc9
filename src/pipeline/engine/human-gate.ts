/**
 * Human gates in a durable engine: a bolt cannot hold a process for days, so a `wait.human`
 * node with no answer parks the bolt as a pending approval; `factory approve` answers it and
 * the resumed run finds the answer here.
 */
import type { AuditEvent } from "../../governance/index.js";
import type { BoltStatus, JournalDraft } from "../../store/index.js";
import type { PipelineNode } from "../graph.js";
import type { BoltResult } from "./bolt-result.js";
import type { Checkpoint } from "./checkpoint.js";
import type { EngineDeps } from "./engine-deps.js";
import type { Answer, Question } from "./outcome.js";
import type { RunContext } from "./run-context.js";
import { writeCheckpointFile } from "./run-files.js";

/** The answer a person gave for this visit of the node, if any. */
export async function storedAnswer(
  deps: EngineDeps,
  boltId: string,
  nodeId: string,
  visit: number,
): Promise<Answer | undefined> {
  const approval = await deps.store.getApproval(boltId, nodeId, visit);
  return approval?.status === "answered" ? (approval.answer as Answer) : undefined;
}

export interface ParkInput {
  deps: EngineDeps;
  boltId: string;
  node: PipelineNode;
  visit: number;
  question: Question;
  /** The engine's step writer: journal, checkpoint, status and audit in one transaction. */
  record: (
    journal: JournalDraft[],
    extra?: { status?: BoltStatus; events?: Omit<AuditEvent, "actor">[] },
  ) => Promise<unknown>;
  context: RunContext;
  cp: Checkpoint;
  at: number;
}

export async function park(input: ParkInput): Promise<BoltResult> {
  const { deps, boltId, node, visit, question, cp } = input;
  await deps.store.requestApproval({
    boltId,
    nodeId: node.id,
    visit,
    question: deps.redactor.redact(question),
  });
  await input.record([{ kind: "node.waiting", nodeId: node.id, data: { visit, question } }], {
    status: "waiting",
    events: [
      {
        action: "approval.request",
        subject: `bolt:${boltId}/${node.id}`,
        data: { visit, question: question.text },
      },
    ],
  });
  writeCheckpointFile(deps.runsDir, boltId, cp, input.at);
  deps.onEvent?.({ kind: "bolt.waiting", boltId, node: node.id, question: question.text });
  return {
    boltId,
    status: "waiting",
    outcome: { status: "retry", notes: `waiting for a person at ${node.id}` },
    waiting: { node: node.id, question },
    context: input.context.snapshot(),
    completed: cp.completed,
  };
}

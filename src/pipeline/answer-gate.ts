/**
 * Answering a bolt's human gate (DESIGN §8): a person's vote counted towards the gate's
 * quorum, and the bolt continued once the gate is decided.
 */
import { InputError } from "../common/index.js";
import {
  castApprovalVote,
  quorumRequirement,
  sealAuditEntry,
  type VoteTally,
} from "../governance/index.js";
import type { Home } from "../home/index.js";
import { createGit } from "../workspace/index.js";
import { type BoltRunOptions, continueBolt } from "./bolt-engine.js";
import type { Checkpoint } from "./engine/checkpoint.js";
import { normalizeLabel } from "./engine/edge-selection.js";
import type { BoltResult } from "./engine/engine.js";
import { BoltNotResumableError } from "./engine/engine-errors.js";
import { type Answer, type Question, SKIPPED } from "./engine/outcome.js";

/** An answer at a gate: the bolt as it went on, or still waiting, with where the votes stand. */
export interface GateAnswer extends BoltResult {
  approvals: Pick<VoteTally, "outcome" | "approvals" | "needed">;
}

/**
 * Records a person's vote at a waiting human gate (DESIGN §8): authorised against the gate's
 * requirement (quorum, roles, the commit it judged) and separation of duties, audited in the
 * same transaction. A reject, or the approval that reaches the quorum, answers the gate and
 * continues the bolt in this process; an approval short of it leaves the bolt waiting. A label
 * that matches no choice is refused, listing the choices: a typo must never pick an edge.
 */
export async function answerGate(
  home: Home,
  boltId: string,
  nodeId: string,
  decision: { approve: boolean; label?: string; reason?: string },
  options: BoltRunOptions,
): Promise<GateAnswer> {
  const bolt = await home.store.getBolt(boltId);
  if (!bolt) throw new BoltNotResumableError(boltId, "unknown");
  const pending = (await home.store.listApprovals({ boltId, status: "pending" })).find(
    (a) => a.nodeId === nodeId,
  );
  const question = pending?.question as Question | undefined;
  if (!pending || !question || bolt.status !== "waiting") {
    throw new InputError(
      "no-pending-approval",
      `bolt ${boltId} is ${bolt.status}, not waiting for an answer at ${nodeId}`,
      {
        hint: `see where it is with \`factory status ${boltId}\``,
      },
    );
  }
  const answer = chosenAnswer(question, nodeId, decision, options.actor);
  const checkpoint = (await home.store.getCheckpoint(boltId)) as Checkpoint | undefined;
  const requirement = quorumRequirement(checkpoint?.context ?? {});
  const tally = await castApprovalVote(home, {
    boltId,
    nodeId,
    visit: pending.visit,
    principal: options.actor,
    decision: decision.approve ? "approve" : "reject",
    author: await boltAuthor(home, boltId, bolt.createdBy),
    requirement,
    head: requirement.commit ? await integrationHead(home, boltId) : "",
    ...(decision.reason ? { reason: decision.reason } : {}),
  });
  const approvals = { outcome: tally.outcome, approvals: tally.approvals, needed: tally.needed };
  if (tally.outcome === "pending") {
    return {
      boltId,
      status: "waiting",
      outcome: {
        status: "retry",
        notes: `${tally.approvals} of ${tally.needed} approvals at ${nodeId}; waiting for more`,
      },
      waiting: { node: nodeId, question },
      context: checkpoint?.context ?? {},
      completed: checkpoint?.completed ?? [],
      approvals,
    };
  }
  const event = {
    actor: options.actor,
    action: decision.approve ? "approval.approve" : "approval.reject",
    subject: `bolt:${boltId}/${nodeId}`,
    data: {
      choice: decision.approve ? answer.value : null,
      reason: decision.reason ?? null,
      voters: tally.votes.map((v) => v.principal),
    },
  };
  await home.store.answerApproval(boltId, nodeId, home.redactor.redact(answer), options.actor, {
    drafts: home.audit.prepare([event]),
    seal: sealAuditEntry,
  });
  return { ...(await continueBolt(home, boltId, options)), approvals };
}

function chosenAnswer(
  question: Question,
  nodeId: string,
  decision: { approve: boolean; label?: string; reason?: string },
  actor: string,
): Answer {
  if (!decision.approve)
    return { value: SKIPPED, text: decision.reason ?? "rejected", answered_by: actor };
  const wanted = decision.label;
  const option =
    wanted === undefined
      ? question.options[0]
      : question.options.find(
          (o) =>
            o.key.toLowerCase() === wanted.toLowerCase() ||
            normalizeLabel(o.label) === normalizeLabel(wanted),
        );
  if (!option) {
    throw new InputError("unknown-choice", `"${wanted}" is not a choice at ${nodeId}`, {
      hint: `choose one of: ${question.options.map((o) => `"${o.label}" (${o.key})`).join(", ")}`,
    });
  }
  return { value: option.key, answered_by: actor };
}

/** Who started the bolt: recorded with it, or, for bolts older than that, its `bolt.start` entry. */
async function boltAuthor(home: Home, boltId: string, createdBy: string): Promise<string> {
  if (createdBy) return createdBy;
  const subject = `bolt:${boltId}`;
  for (let after = 0; ; ) {
    const page = await home.store.readAudit({ afterSeq: after, limit: 1_000 });
    const start = page.find((e) => e.action === "bolt.start" && e.subject === subject);
    if (start) return start.actor;
    const last = page.at(-1);
    if (!last) return "";
    after = last.seq;
  }
}

/** The integration branch's head now, or empty if the branch is gone. */
async function integrationHead(home: Home, boltId: string): Promise<string> {
  const git = createGit({ repo: home.config.product.repo });
  return (await git.revParse(`refs/heads/factory/${boltId}/integration`)) ?? "";
}

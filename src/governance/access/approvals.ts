/**
 * Votes at a human gate (DESIGN §8): the voter needs a role the gate names, the bolt's author
 * may not vote on it while someone else could, one principal counts once, and a vote is
 * bound to the commit it saw, so a new commit on the integration branch voids it.
 */
import { WorkError } from "../../common/index.js";
import type { ApprovalVote } from "../../store/index.js";
import { sealAuditEntry } from "../audit/seal.js";
import type { AccessHome } from "./access-home.js";
import { roleAllows } from "./actions.js";
import { authorize, denyAccess } from "./authorize.js";

/** What a gate needs before it opens, as the bolt's gates stage put it in the context. */
export interface QuorumRequirement {
  level: "low" | "medium" | "high";
  count: number;
  roles: string[];
  /** The commit that was judged; empty when the gate binds none. */
  commit: string;
}

/** The requirement in the bolt's context at `factory.approval.requirement`, or one approver, unbound. */
export function quorumRequirement(context: Record<string, unknown>): QuorumRequirement {
  const raw = context["factory.approval.requirement"] as Partial<QuorumRequirement> | undefined;
  const level = raw?.level;
  return {
    level: level === "low" || level === "high" ? level : "medium",
    count: typeof raw?.count === "number" && raw.count >= 0 ? Math.floor(raw.count) : 1,
    roles:
      Array.isArray(raw?.roles) && raw.roles.length > 0
        ? raw.roles.filter((r): r is string => typeof r === "string")
        : ["approver"],
    commit: typeof raw?.commit === "string" ? raw.commit : "",
  };
}

export interface VoteInput {
  boltId: string;
  nodeId: string;
  visit: number;
  principal: string;
  decision: "approve" | "reject";
  /** Who started the bolt; empty if unknown. */
  author: string;
  requirement: QuorumRequirement;
  /** The integration branch's head now; empty when the gate binds no commit or there is none. */
  head: string;
  reason?: string;
}

/** Where a gate stands after a vote. */
export interface VoteTally {
  /** `approved` and `rejected` answer the gate; `pending` leaves it waiting for more votes. */
  outcome: "approved" | "rejected" | "pending";
  /** Approvals that count: on the required commit, which is still the head. */
  approvals: number;
  needed: number;
  votes: ApprovalVote[];
}

/** Records one principal's vote and says whether the gate now opens, refuses, or waits. */
export async function castApprovalVote(home: AccessHome, input: VoteInput): Promise<VoteTally> {
  const { principal, requirement } = input;
  const subject = `bolt:${input.boltId}/${input.nodeId}`;
  const action = input.decision === "approve" ? "bolt.approve" : "bolt.reject";
  const voter = await authorize(home, principal, action, subject);
  if (voter) {
    const eligible = (roles: readonly string[]) =>
      roles.includes("admin") || roles.some((r) => requirement.roles.includes(r));
    if (!eligible(voter.roles)) {
      throw await denyAccess(home, {
        principal,
        action,
        subject,
        reason: "quorum-role",
        roles: voter.roles,
        message: `${principal} may not vote at ${input.nodeId}: this ${requirement.level}-risk gate counts only ${requirement.roles.join(" or ")}, and it holds ${voter.roles.join(", ")}`,
        hint: `ask someone with the role ${requirement.roles.join(" or ")} to vote`,
      });
    }
    if (principal === input.author) {
      // A home with nobody else who could vote would wait forever; there, and only there,
      // the author's own vote counts, and the audit entry says so.
      const others = (await home.store.listPrincipals()).filter(
        (p) =>
          p.name !== principal &&
          p.kind === "person" &&
          !p.disabled &&
          p.roles.some((r) => roleAllows(r, action)) &&
          eligible(p.roles),
      );
      if (others.length > 0) {
        throw await denyAccess(home, {
          principal,
          action,
          subject,
          reason: "separation-of-duties",
          message: `${principal} started bolt ${input.boltId}, so it may not ${input.decision} it: no one votes on their own change`,
          hint: `ask another principal who may vote (${others.map((p) => p.name).join(", ")})`,
        });
      }
    }
  }
  if (requirement.commit && input.decision === "approve" && input.head !== requirement.commit) {
    await home.audit.append(principal, "gate.approval_void", subject, {
      decision: input.decision,
      commit: requirement.commit,
      head: input.head || null,
    });
    throw new WorkError(
      "approval-void",
      `the integration branch moved from ${short(requirement.commit)} to ${short(input.head) || "nothing"} since the gate asked; its approvals are void`,
      {
        hint: "the change must be judged again: resume or re-run the bolt so its gates see the new head",
      },
    );
  }
  await home.store.addApprovalVote(
    {
      boltId: input.boltId,
      nodeId: input.nodeId,
      visit: input.visit,
      principal,
      decision: input.decision,
      commit: input.head,
    },
    {
      drafts: home.audit.prepare([
        {
          actor: principal,
          action: "gate.approval",
          subject,
          data: {
            principal,
            decision: input.decision,
            commit: input.head || null,
            level: requirement.level,
            visit: input.visit,
            ...(principal === input.author ? { author: true } : {}),
            ...(input.reason ? { reason: input.reason } : {}),
          },
        },
      ]),
      seal: sealAuditEntry,
    },
  );
  return tallyVotes(
    await home.store.listApprovalVotes(input.boltId, input.nodeId, input.visit),
    requirement,
    input.head,
  );
}

/** Counts the votes at one visit: one reject refuses; approvals count on the required, current head. */
export function tallyVotes(
  votes: ApprovalVote[],
  requirement: QuorumRequirement,
  head: string,
): VoteTally {
  const counted = votes.filter(
    (v) =>
      v.decision === "approve" &&
      (!requirement.commit || (v.commit === requirement.commit && v.commit === head)),
  );
  const rejected = votes.some((v) => v.decision === "reject");
  const approvals = new Set(counted.map((v) => v.principal)).size;
  return {
    outcome: rejected ? "rejected" : approvals >= requirement.count ? "approved" : "pending",
    approvals,
    needed: requirement.count,
    votes,
  };
}

const short = (sha: string) => sha.slice(0, 12);

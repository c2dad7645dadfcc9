/**
 * The Store contract: everything the factory remembers lives behind it, so the embedded
 * SQLite default and PostgreSQL can serve the same core. Every method is async even where
 * an implementation is synchronous, and no implementation may hold a transaction open
 * across an `await`.
 */

export const boltStatuses = [
  "pending",
  "running",
  "waiting",
  "succeeded",
  "failed",
  "cancelled",
] as const;
export type BoltStatus = (typeof boltStatuses)[number];

/** A bolt in one of these states is over: nothing may drive, resume or cancel it. */
export function isFinished(status: BoltStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled";
}

/** One run of a pipeline over one intent. */
export interface Bolt {
  id: string;
  intentId: string;
  pipeline: string;
  status: BoltStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  source: string;
  /** The context the bolt started with (the intent's file, say). */
  seed: Record<string, unknown>;
  /** The principal who started it; empty for bolts started before principals were recorded. */
  createdBy: string;
}

export interface NewBolt {
  id: string;
  intentId: string;
  pipeline: string;
  /** The pipeline's DOT text as it was when the bolt started, so a resume never reads a changed file. */
  source?: string;
  seed?: Record<string, unknown>;
  /** The principal starting it, kept for separation of duties at its approvals. */
  createdBy?: string;
}

/**
 * The right to drive one bolt, held by one owner until `expiresAt`. `token` grows by one at
 * every change of hands, so a writer that lost its lease can be told apart (a fencing token).
 */
export interface Lease {
  boltId: string;
  owner: string;
  token: number;
  acquiredAt: number;
  expiresAt: number;
}

export type LeaseAttempt = { acquired: true; lease: Lease } | { acquired: false; holder: Lease };

/** One step of a bolt's history, written by the engine before it moves on. */
export interface JournalDraft {
  /** e.g. `node.start`, `node.outcome`, `route`, `bolt.end`. */
  kind: string;
  nodeId?: string;
  data: unknown;
}

export interface JournalEntry extends JournalDraft {
  boltId: string;
  seq: number;
  ts: number;
}

/** A question a bolt is waiting on, and its answer once a person gives one. */
export interface Approval {
  boltId: string;
  nodeId: string;
  /** Which entry into the node this is for, so a loop that comes back asks again. */
  visit: number;
  question: unknown;
  status: "pending" | "answered";
  answer?: unknown;
  answeredBy?: string;
  createdAt: number;
  answeredAt?: number;
}

/** Everything one engine step writes, in one transaction, fenced by the lease. */
export interface BoltProgress {
  lease: Lease;
  journal: readonly JournalDraft[];
  /** The engine's resumable state after this step; replaces the previous one. */
  checkpoint?: unknown;
  /** The bolt's new status; a cancelled bolt stays cancelled whatever a step says. */
  status?: BoltStatus;
  /** Audit entries for the same step, sealed onto the chain in the same transaction. */
  audit?: { drafts: readonly AuditDraft[]; seal: AuditSeal };
}

/** What a caller asks the audit log to record; the store assigns `seq`, `prev` and `hash` through a seal. */
export interface AuditDraft {
  /** ISO 8601 time of the event. */
  ts: string;
  actor: string;
  action: string;
  subject: string;
  data: unknown;
}

export interface AuditEntry extends AuditDraft {
  seq: number;
  /** The previous entry's hash; 64 zeros for the first entry. */
  prev: string;
  hash: string;
}

/** The newest entry as the store last recorded it, kept apart from the entries themselves. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * Computes an entry from its draft and the current head. Called by the store inside its
 * write transaction, so it must be synchronous and pure.
 */
export type AuditSeal = (draft: AuditDraft, previous: AuditHead) => AuditEntry;

/** A person or an agent the factory knows, with the roles it holds (DESIGN §8). */
export interface Principal {
  /** `user:alice` or `agent:builder`. */
  name: string;
  kind: "person" | "agent";
  /** Role names; governance gives them meaning. */
  roles: string[];
  createdAt: number;
  disabled: boolean;
}

export type NewPrincipal = Pick<Principal, "name" | "kind" | "roles">;

/** A bearer token, stored as the SHA-256 of its text only: the text is shown once, at creation. */
export interface AccessToken {
  id: string;
  principal: string;
  /** Hex SHA-256 of the token's text. */
  hash: string;
  createdAt: number;
  revokedAt?: number;
}

/** One principal's vote at one visit of a human gate; a gate may need several (a quorum). */
export interface ApprovalVote {
  boltId: string;
  nodeId: string;
  visit: number;
  principal: string;
  decision: "approve" | "reject";
  /** The integration branch's head when the vote was cast; empty when the gate binds none. */
  commit: string;
  at: number;
}

export interface Store {
  /** Which implementation this is, e.g. `sqlite`. */
  readonly kind: string;
  /** Where the data lives, safe to print (no credentials). */
  readonly location: string;

  /** The schema version the store is at after its migrations. */
  schemaVersion(): Promise<number>;

  createBolt(input: NewBolt): Promise<Bolt>;
  getBolt(id: string): Promise<Bolt | undefined>;
  /** Newest first. */
  listBolts(options?: { status?: BoltStatus; limit?: number }): Promise<Bolt[]>;
  setBoltStatus(id: string, status: BoltStatus): Promise<Bolt>;

  /**
   * Take the bolt's lease for `ttlMs` if it is free, expired, or already this owner's
   * (then it is renewed). Atomic across processes sharing the store. With `takeOverFrom`, a
   * live lease is taken too, but only if it is still exactly that holder's (the caller has
   * established that the holder is gone, e.g. its process is dead).
   */
  acquireLease(
    boltId: string,
    owner: string,
    ttlMs: number,
    options?: { takeOverFrom?: Pick<Lease, "owner" | "token"> },
  ): Promise<LeaseAttempt>;
  /** Extend a lease still held; throws `LeaseLostError` if another owner took it or it expired. */
  renewLease(lease: Lease, ttlMs: number): Promise<Lease>;
  /** Give a lease up; false when it was no longer this holder's. */
  releaseLease(lease: Lease): Promise<boolean>;
  getLease(boltId: string): Promise<Lease | undefined>;

  /**
   * Record one engine step: journal entries, the new checkpoint, the bolt's status and audit
   * entries, atomically. Throws `LeaseLostError` unless `progress.lease` is still held.
   */
  recordProgress(boltId: string, progress: BoltProgress): Promise<JournalEntry[]>;
  /** Journal entries in `seq` order, after `afterSeq` (default 0), at most `limit`. */
  readJournal(
    boltId: string,
    options?: { afterSeq?: number; limit?: number },
  ): Promise<JournalEntry[]>;
  getCheckpoint(boltId: string): Promise<unknown>;

  /** Create the approval request for (bolt, node, visit) unless it exists; returns the stored one. */
  requestApproval(
    request: Pick<Approval, "boltId" | "nodeId" | "visit" | "question">,
  ): Promise<Approval>;
  getApproval(boltId: string, nodeId: string, visit: number): Promise<Approval | undefined>;
  /**
   * Answers the pending approval of a node of a waiting bolt, with the audit entries of the
   * decision in the same transaction; throws an input error if the bolt is not waiting there.
   */
  answerApproval(
    boltId: string,
    nodeId: string,
    answer: unknown,
    answeredBy: string,
    audit?: { drafts: readonly AuditDraft[]; seal: AuditSeal },
  ): Promise<Approval>;
  listApprovals(options?: { boltId?: string; status?: Approval["status"] }): Promise<Approval[]>;

  /** Throws an input error (`principal-exists`) if the name is taken. */
  addPrincipal(principal: NewPrincipal): Promise<Principal>;
  getPrincipal(name: string): Promise<Principal | undefined>;
  /** By name. */
  listPrincipals(): Promise<Principal[]>;
  /** Throws an input error (`principal-not-found`) for an unknown name. */
  updatePrincipal(
    name: string,
    change: { roles?: readonly string[]; disabled?: boolean },
  ): Promise<Principal>;

  addToken(token: Pick<AccessToken, "id" | "principal" | "hash">): Promise<AccessToken>;
  findTokenByHash(hash: string): Promise<AccessToken | undefined>;
  /** Marks it revoked (once; a second revocation keeps the first time). Throws `token-not-found`. */
  revokeToken(id: string): Promise<AccessToken>;
  /** Oldest first. */
  listTokens(options?: { principal?: string }): Promise<AccessToken[]>;

  /**
   * Records a vote with its audit entries in one transaction. Throws an input error
   * (`already-voted`) if this principal has voted at this visit of the gate already.
   */
  addApprovalVote(
    vote: Omit<ApprovalVote, "at">,
    audit?: { drafts: readonly AuditDraft[]; seal: AuditSeal },
  ): Promise<ApprovalVote>;
  /** The votes at one visit of a gate, in the order they were cast. */
  listApprovalVotes(boltId: string, nodeId: string, visit: number): Promise<ApprovalVote[]>;

  /** Append entries atomically, in order, each sealed against the one before it. */
  appendAudit(drafts: readonly AuditDraft[], seal: AuditSeal): Promise<AuditEntry[]>;
  /** Entries in `seq` order, starting after `afterSeq` (default 0), at most `limit`. */
  readAudit(options?: { afterSeq?: number; limit?: number }): Promise<AuditEntry[]>;
  /** The head as recorded at the last append; undefined for an empty log. */
  auditHead(): Promise<AuditHead | undefined>;

  close(): Promise<void>;
}

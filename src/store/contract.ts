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

/** One run of a pipeline over one intent. */
export interface Bolt {
  id: string;
  intentId: string;
  pipeline: string;
  status: BoltStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

export interface NewBolt {
  id: string;
  intentId: string;
  pipeline: string;
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
   * (then it is renewed). Atomic across processes sharing the store.
   */
  acquireLease(boltId: string, owner: string, ttlMs: number): Promise<LeaseAttempt>;
  /** Extend a lease still held; throws `LeaseLostError` if another owner took it or it expired. */
  renewLease(lease: Lease, ttlMs: number): Promise<Lease>;
  /** Give a lease up; false when it was no longer this holder's. */
  releaseLease(lease: Lease): Promise<boolean>;
  getLease(boltId: string): Promise<Lease | undefined>;

  /** Append entries atomically, in order, each sealed against the one before it. */
  appendAudit(drafts: readonly AuditDraft[], seal: AuditSeal): Promise<AuditEntry[]>;
  /** Entries in `seq` order, starting after `afterSeq` (default 0), at most `limit`. */
  readAudit(options?: { afterSeq?: number; limit?: number }): Promise<AuditEntry[]>;
  /** The head as recorded at the last append; undefined for an empty log. */
  auditHead(): Promise<AuditHead | undefined>;

  close(): Promise<void>;
}

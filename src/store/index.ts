export {
  type AccessToken,
  type Approval,
  type ApprovalVote,
  type AuditDraft,
  type AuditEntry,
  type AuditHead,
  type AuditSeal,
  type Bolt,
  type BoltProgress,
  type BoltStatus,
  boltStatuses,
  isFinished,
  type JournalDraft,
  type JournalEntry,
  type Lease,
  type LeaseAttempt,
  type NewBolt,
  type NewPrincipal,
  type Principal,
  type Store,
} from "./contract.js";
export { BoltNotFoundError, LeaseLostError, StoreError } from "./errors.js";
export { createSqliteStore, type SqliteStoreOptions } from "./sqlite/sqlite-store.js";

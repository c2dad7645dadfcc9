export {
  type AuditDraft,
  type AuditEntry,
  type AuditHead,
  type AuditSeal,
  type Bolt,
  type BoltStatus,
  boltStatuses,
  type Lease,
  type LeaseAttempt,
  type NewBolt,
  type Store,
} from "./contract.js";
export { BoltNotFoundError, LeaseLostError, StoreError } from "./errors.js";
export { createSqliteStore, type SqliteStoreOptions } from "./sqlite/sqlite-store.js";

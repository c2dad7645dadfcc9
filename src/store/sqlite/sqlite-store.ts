/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, so each
 * method runs its whole transaction before returning and none can span an `await`; writers
 * take `BEGIN IMMEDIATE`, which serialises them across processes through SQLite's own lock.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type {
  AuditDraft,
  AuditEntry,
  AuditHead,
  AuditSeal,
  Bolt,
  BoltStatus,
  Lease,
  LeaseAttempt,
  NewBolt,
  Store,
} from "../contract.js";
import { BoltNotFoundError, LeaseLostError, StoreError } from "../errors.js";
import { createAccessMethods } from "./access.js";
import { type Migration, sqliteMigrations } from "./migrations.js";
import { createProgressMethods } from "./progress.js";

export interface SqliteStoreOptions {
  /** The database file; its folder is created if missing. */
  path: string;
  /** Milliseconds since the epoch; injectable so lease expiry can be tested without sleeping. */
  now?: () => number;
  /** How long a writer waits for another process's lock before failing. */
  busyTimeoutMs?: number;
  migrations?: readonly Migration[];
}

const GENESIS: AuditHead = { seq: 0, hash: "0".repeat(64) };

interface BoltRow {
  id: string;
  intent_id: string;
  pipeline: string;
  status: BoltStatus;
  created_at: number;
  updated_at: number;
  source: string;
  seed: string;
  created_by: string;
}
interface LeaseRow {
  bolt_id: string;
  owner: string;
  token: number;
  acquired_at: number;
  expires_at: number;
}
interface AuditRow {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  subject: string;
  data: string;
  prev: string;
  hash: string;
}

export function createSqliteStore(options: SqliteStoreOptions): Store {
  const now = options.now ?? Date.now;
  const db = openDatabase(options.path, options.busyTimeoutMs ?? 5_000);
  const version = migrate(db, options.migrations ?? sqliteMigrations, options.path);

  const toBolt = (row: BoltRow): Bolt => ({
    id: row.id,
    intentId: row.intent_id,
    pipeline: row.pipeline,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    source: row.source,
    seed: JSON.parse(row.seed) as Record<string, unknown>,
    createdBy: row.created_by,
  });
  const toLease = (row: LeaseRow): Lease => ({
    boltId: row.bolt_id,
    owner: row.owner,
    token: row.token,
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
  });
  const toEntry = (row: AuditRow): AuditEntry => ({
    ...row,
    data: JSON.parse(row.data) as unknown,
  });

  const statements = {
    insertBolt: db.prepare(
      "INSERT INTO bolts (id, intent_id, pipeline, status, created_at, updated_at, source, seed, created_by) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?)",
    ),
    getBolt: db.prepare<[string], BoltRow>(
      "SELECT id, intent_id, pipeline, status, created_at, updated_at, source, seed, created_by FROM bolts WHERE id = ?",
    ),
    setStatus: db.prepare("UPDATE bolts SET status = ?, updated_at = ? WHERE id = ?"),
    getLease: db.prepare<[string], LeaseRow>("SELECT * FROM bolt_leases WHERE bolt_id = ?"),
    upsertLease: db.prepare(
      `INSERT INTO bolt_leases (bolt_id, owner, token, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (bolt_id) DO UPDATE SET owner = excluded.owner, token = excluded.token,
         acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
    ),
    renewLease: db.prepare(
      "UPDATE bolt_leases SET expires_at = ? WHERE bolt_id = ? AND owner = ? AND token = ?",
    ),
    // Releasing keeps the row, expired, so the next holder's token still grows.
    releaseLease: db.prepare(
      "UPDATE bolt_leases SET expires_at = 0 WHERE bolt_id = ? AND owner = ? AND token = ? AND expires_at > ?",
    ),
    lastAudit: db.prepare<[], AuditHead>(
      "SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1",
    ),
    insertAudit: db.prepare(
      "INSERT INTO audit_entries (seq, ts, actor, action, subject, data, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    setHead: db.prepare(
      "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    ),
    readAudit: db.prepare<[number, number], AuditRow>(
      "SELECT * FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?",
    ),
    head: db.prepare<[], AuditHead>("SELECT seq, hash FROM audit_head WHERE id = 1"),
  };

  /** Runs `fn` in a `BEGIN IMMEDIATE` transaction, turning a lock timeout into a retryable error. */
  function write<T>(fn: () => T): T {
    try {
      return db.transaction(fn).immediate();
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code.startsWith("SQLITE_BUSY")) {
        throw new StoreError(
          "store-busy",
          `the store at ${options.path} stayed locked by another process`,
          {
            cause: error,
            isRetryable: true,
            hint: "another factory process is writing; try again",
          },
        );
      }
      throw error;
    }
  }

  return {
    kind: "sqlite",
    location: options.path,

    async schemaVersion() {
      return version;
    },

    async createBolt(input: NewBolt) {
      const at = now();
      return write(() => {
        if (statements.getBolt.get(input.id)) {
          throw new StoreError("bolt-exists", `a bolt with id ${input.id} already exists`);
        }
        statements.insertBolt.run(
          input.id,
          input.intentId,
          input.pipeline,
          at,
          at,
          input.source ?? "",
          JSON.stringify(input.seed ?? {}),
          input.createdBy ?? "",
        );
        return toBolt(statements.getBolt.get(input.id) as BoltRow);
      });
    },

    async getBolt(id) {
      const row = statements.getBolt.get(id);
      return row ? toBolt(row) : undefined;
    },

    async listBolts(filter = {}) {
      const limit = filter.limit ?? 100;
      const rows = filter.status
        ? db
            .prepare<[string, number], BoltRow>(
              "SELECT id, intent_id, pipeline, status, created_at, updated_at, source, seed, created_by FROM bolts WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT ?",
            )
            .all(filter.status, limit)
        : db
            .prepare<[number], BoltRow>(
              "SELECT id, intent_id, pipeline, status, created_at, updated_at, source, seed, created_by FROM bolts ORDER BY created_at DESC, id DESC LIMIT ?",
            )
            .all(limit);
      return rows.map(toBolt);
    },

    async setBoltStatus(id, status) {
      return write(() => {
        if (statements.setStatus.run(status, now(), id).changes === 0)
          throw new BoltNotFoundError(id);
        return toBolt(statements.getBolt.get(id) as BoltRow);
      });
    },

    async acquireLease(boltId, owner, ttlMs, options = {}) {
      return write((): LeaseAttempt => {
        if (!statements.getBolt.get(boltId)) throw new BoltNotFoundError(boltId);
        const at = now();
        const current = statements.getLease.get(boltId);
        const from = options.takeOverFrom;
        const takingOver =
          current !== undefined && from?.owner === current.owner && from.token === current.token;
        if (current && current.expires_at > at && current.owner !== owner && !takingOver) {
          return { acquired: false, holder: toLease(current) };
        }
        const keeps =
          current !== undefined &&
          current.owner === owner &&
          current.expires_at > at &&
          !takingOver;
        const lease: Lease = {
          boltId,
          owner,
          token: keeps ? current.token : (current?.token ?? 0) + 1,
          acquiredAt: keeps ? current.acquired_at : at,
          expiresAt: at + ttlMs,
        };
        statements.upsertLease.run(boltId, owner, lease.token, lease.acquiredAt, lease.expiresAt);
        return { acquired: true, lease };
      });
    },

    async renewLease(lease, ttlMs) {
      return write(() => {
        const at = now();
        const current = statements.getLease.get(lease.boltId);
        if (
          !current ||
          current.owner !== lease.owner ||
          current.token !== lease.token ||
          current.expires_at <= at
        ) {
          throw new LeaseLostError(lease.boltId, lease.owner);
        }
        statements.renewLease.run(at + ttlMs, lease.boltId, lease.owner, lease.token);
        return { ...lease, expiresAt: at + ttlMs };
      });
    },

    async releaseLease(lease) {
      return write(
        () =>
          statements.releaseLease.run(lease.boltId, lease.owner, lease.token, now()).changes > 0,
      );
    },

    async getLease(boltId) {
      const row = statements.getLease.get(boltId);
      return row ? toLease(row) : undefined;
    },

    ...createProgressMethods({
      db,
      write,
      now,
      appendAuditNow: (drafts, seal) => appendAuditNow(drafts, seal),
    }),

    ...createAccessMethods({
      db,
      write,
      now,
      appendAuditNow: (drafts, seal) => appendAuditNow(drafts, seal),
    }),

    async appendAudit(drafts: readonly AuditDraft[], seal: AuditSeal) {
      return write(() => appendAuditNow(drafts, seal));
    },

    async readAudit(range = {}) {
      return statements.readAudit.all(range.afterSeq ?? 0, range.limit ?? 10_000).map(toEntry);
    },

    async auditHead() {
      return statements.head.get();
    },

    async close() {
      db.close();
    },
  };

  /** Inside a write transaction already. */
  function appendAuditNow(drafts: readonly AuditDraft[], seal: AuditSeal): AuditEntry[] {
    let previous = statements.lastAudit.get() ?? GENESIS;
    const entries: AuditEntry[] = [];
    for (const draft of drafts) {
      const entry = seal(draft, previous);
      statements.insertAudit.run(
        entry.seq,
        entry.ts,
        entry.actor,
        entry.action,
        entry.subject,
        JSON.stringify(entry.data),
        entry.prev,
        entry.hash,
      );
      entries.push(entry);
      previous = { seq: entry.seq, hash: entry.hash };
    }
    if (entries.length > 0) statements.setHead.run(previous.seq, previous.hash);
    return entries;
  }
}

function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: busyTimeoutMs });
    db.pragma("journal_mode = WAL");
    // NORMAL in WAL mode survives a killed process; only a power cut can lose the last commits.
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    return db;
  } catch (error) {
    throw new StoreError(
      "store-open",
      `cannot open the store at ${path}: ${(error as Error).message}`,
      {
        cause: error,
        hint: "check that the file is a darkfactory state.db and that you can write its folder",
      },
    );
  }
}

function migrate(db: Database.Database, migrations: readonly Migration[], path: string): number {
  const latest = migrations.at(-1)?.version ?? 0;
  return db
    .transaction(() => {
      db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
      );
      const row = db
        .prepare<[], { version: number | null }>(
          "SELECT max(version) AS version FROM schema_migrations",
        )
        .get();
      const current = row?.version ?? 0;
      if (current > latest) {
        throw new StoreError(
          "store-too-new",
          `the store at ${path} is at schema version ${current}, newer than this darkfactory knows (${latest})`,
          { hint: "upgrade darkfactory; nothing was changed" },
        );
      }
      for (const migration of migrations) {
        if (migration.version <= current) continue;
        db.exec(migration.sql);
        db.prepare(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        ).run(migration.version, migration.name, Date.now());
      }
      db.pragma(`user_version = ${latest}`);
      return Math.max(current, latest);
    })
    .immediate();
}

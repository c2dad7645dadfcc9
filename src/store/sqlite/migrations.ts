/**
 * The SQLite schema, one step per version. Steps are append-only: a released step is never
 * edited, only followed by another, so every state.db can be brought forward.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: "bolts, leases and the audit log",
    sql: `
      CREATE TABLE bolts (
        id TEXT PRIMARY KEY,
        intent_id TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX bolts_by_created ON bolts (created_at DESC);

      CREATE TABLE bolt_leases (
        bolt_id TEXT PRIMARY KEY REFERENCES bolts (id),
        owner TEXT NOT NULL,
        token INTEGER NOT NULL,
        acquired_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );

      CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        data TEXT NOT NULL,
        prev TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      -- The log is append-only for the factory itself; verification still assumes
      -- someone with the file can drop these triggers, so it never trusts them.
      CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;

      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: "the engine's journal, checkpoints and approvals",
    sql: `
      ALTER TABLE bolts ADD COLUMN source TEXT NOT NULL DEFAULT '';
      ALTER TABLE bolts ADD COLUMN checkpoint TEXT;

      CREATE TABLE bolt_journal (
        bolt_id TEXT NOT NULL REFERENCES bolts (id),
        seq INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        kind TEXT NOT NULL,
        node_id TEXT,
        data TEXT NOT NULL,
        PRIMARY KEY (bolt_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE approvals (
        bolt_id TEXT NOT NULL REFERENCES bolts (id),
        node_id TEXT NOT NULL,
        visit INTEGER NOT NULL,
        question TEXT NOT NULL,
        status TEXT NOT NULL,
        answer TEXT,
        answered_by TEXT,
        created_at INTEGER NOT NULL,
        answered_at INTEGER,
        PRIMARY KEY (bolt_id, node_id, visit)
      );
      CREATE INDEX approvals_pending ON approvals (status, created_at);
    `,
  },
  {
    version: 3,
    name: "the context a bolt starts with",
    sql: `ALTER TABLE bolts ADD COLUMN seed TEXT NOT NULL DEFAULT '{}';`,
  },
  {
    version: 4,
    name: "principals, tokens, approval votes and who started each bolt",
    sql: `
      ALTER TABLE bolts ADD COLUMN created_by TEXT NOT NULL DEFAULT '';

      CREATE TABLE principals (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        roles TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE access_tokens (
        id TEXT PRIMARY KEY,
        principal TEXT NOT NULL REFERENCES principals (name),
        hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );

      CREATE TABLE approval_votes (
        bolt_id TEXT NOT NULL REFERENCES bolts (id),
        node_id TEXT NOT NULL,
        visit INTEGER NOT NULL,
        principal TEXT NOT NULL,
        decision TEXT NOT NULL,
        commit_sha TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (bolt_id, node_id, visit, principal)
      );
    `,
  },
];

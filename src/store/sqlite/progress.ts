/** The engine's side of the SQLite store: journal, checkpoints and approvals. */
import type Database from "better-sqlite3";
import { InputError } from "../../common/index.js";
import type {
  Approval,
  AuditDraft,
  AuditEntry,
  AuditSeal,
  BoltProgress,
  JournalEntry,
  Store,
} from "../contract.js";
import { BoltNotFoundError, LeaseLostError } from "../errors.js";

interface JournalRow {
  bolt_id: string;
  seq: number;
  ts: number;
  kind: string;
  node_id: string | null;
  data: string;
}
interface ApprovalRow {
  bolt_id: string;
  node_id: string;
  visit: number;
  question: string;
  status: Approval["status"];
  answer: string | null;
  answered_by: string | null;
  created_at: number;
  answered_at: number | null;
}

export interface ProgressDeps {
  db: Database.Database;
  write: <T>(fn: () => T) => T;
  now: () => number;
  appendAuditNow: (drafts: readonly AuditDraft[], seal: AuditSeal) => AuditEntry[];
}

type ProgressMethods = Pick<
  Store,
  | "recordProgress"
  | "readJournal"
  | "getCheckpoint"
  | "requestApproval"
  | "getApproval"
  | "answerApproval"
  | "listApprovals"
>;

export function createProgressMethods({
  db,
  write,
  now,
  appendAuditNow,
}: ProgressDeps): ProgressMethods {
  const s = {
    lease: db.prepare<[string], { owner: string; token: number; expires_at: number }>(
      "SELECT owner, token, expires_at FROM bolt_leases WHERE bolt_id = ?",
    ),
    lastSeq: db.prepare<[string], { seq: number | null }>(
      "SELECT max(seq) AS seq FROM bolt_journal WHERE bolt_id = ?",
    ),
    insert: db.prepare(
      "INSERT INTO bolt_journal (bolt_id, seq, ts, kind, node_id, data) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    checkpoint: db.prepare("UPDATE bolts SET checkpoint = ?, updated_at = ? WHERE id = ?"),
    // Cancelling is a person's decision; no step of the engine can overwrite it.
    status: db.prepare(
      "UPDATE bolts SET status = ?, updated_at = ? WHERE id = ? AND status != 'cancelled'",
    ),
    boltStatus: db.prepare<[string], { status: string }>("SELECT status FROM bolts WHERE id = ?"),
    read: db.prepare<[string, number, number], JournalRow>(
      "SELECT * FROM bolt_journal WHERE bolt_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ),
    getCheckpoint: db.prepare<[string], { checkpoint: string | null }>(
      "SELECT checkpoint FROM bolts WHERE id = ?",
    ),
    getApproval: db.prepare<[string, string, number], ApprovalRow>(
      "SELECT * FROM approvals WHERE bolt_id = ? AND node_id = ? AND visit = ?",
    ),
    insertApproval: db.prepare(
      "INSERT INTO approvals (bolt_id, node_id, visit, question, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)",
    ),
    pendingApproval: db.prepare<[string, string], ApprovalRow>(
      "SELECT * FROM approvals WHERE bolt_id = ? AND node_id = ? AND status = 'pending' ORDER BY visit DESC LIMIT 1",
    ),
    answer: db.prepare(
      "UPDATE approvals SET status = 'answered', answer = ?, answered_by = ?, answered_at = ? WHERE bolt_id = ? AND node_id = ? AND visit = ?",
    ),
  };

  const toApproval = (row: ApprovalRow): Approval => ({
    boltId: row.bolt_id,
    nodeId: row.node_id,
    visit: row.visit,
    question: JSON.parse(row.question) as unknown,
    status: row.status,
    ...(row.answer === null ? {} : { answer: JSON.parse(row.answer) as unknown }),
    ...(row.answered_by === null ? {} : { answeredBy: row.answered_by }),
    createdAt: row.created_at,
    ...(row.answered_at === null ? {} : { answeredAt: row.answered_at }),
  });

  return {
    async recordProgress(boltId, progress: BoltProgress) {
      return write(() => {
        const at = now();
        const lease = s.lease.get(boltId);
        const { owner, token } = progress.lease;
        if (!lease || lease.owner !== owner || lease.token !== token || lease.expires_at <= at) {
          throw new LeaseLostError(boltId, owner);
        }
        let seq = s.lastSeq.get(boltId)?.seq ?? 0;
        const entries: JournalEntry[] = [];
        for (const draft of progress.journal) {
          seq++;
          s.insert.run(
            boltId,
            seq,
            at,
            draft.kind,
            draft.nodeId ?? null,
            JSON.stringify(draft.data ?? null),
          );
          entries.push({ boltId, seq, ts: at, ...draft });
        }
        if (progress.checkpoint !== undefined)
          s.checkpoint.run(JSON.stringify(progress.checkpoint), at, boltId);
        if (progress.status !== undefined) s.status.run(progress.status, at, boltId);
        if (progress.audit) appendAuditNow(progress.audit.drafts, progress.audit.seal);
        return entries;
      });
    },

    async readJournal(boltId, range = {}) {
      return s.read.all(boltId, range.afterSeq ?? 0, range.limit ?? 100_000).map((row) => ({
        boltId: row.bolt_id,
        seq: row.seq,
        ts: row.ts,
        kind: row.kind,
        ...(row.node_id === null ? {} : { nodeId: row.node_id }),
        data: JSON.parse(row.data) as unknown,
      }));
    },

    async getCheckpoint(boltId) {
      const row = s.getCheckpoint.get(boltId);
      if (!row) throw new BoltNotFoundError(boltId);
      return row.checkpoint === null ? undefined : (JSON.parse(row.checkpoint) as unknown);
    },

    async requestApproval(request) {
      return write(() => {
        const existing = s.getApproval.get(request.boltId, request.nodeId, request.visit);
        if (existing) return toApproval(existing);
        s.insertApproval.run(
          request.boltId,
          request.nodeId,
          request.visit,
          JSON.stringify(request.question),
          now(),
        );
        return toApproval(
          s.getApproval.get(request.boltId, request.nodeId, request.visit) as ApprovalRow,
        );
      });
    },

    async getApproval(boltId, nodeId, visit) {
      const row = s.getApproval.get(boltId, nodeId, visit);
      return row ? toApproval(row) : undefined;
    },

    async answerApproval(boltId, nodeId, answer, answeredBy, audit) {
      return write(() => {
        const bolt = s.boltStatus.get(boltId);
        if (!bolt) throw new BoltNotFoundError(boltId);
        const pending = s.pendingApproval.get(boltId, nodeId);
        if (bolt.status !== "waiting" || !pending) {
          throw new InputError(
            "no-pending-approval",
            `bolt ${boltId} is ${bolt.status}, not waiting for an answer at ${nodeId}`,
            {
              hint: `see where it is with \`factory status ${boltId}\``,
            },
          );
        }
        s.answer.run(JSON.stringify(answer), answeredBy, now(), boltId, nodeId, pending.visit);
        if (audit) appendAuditNow(audit.drafts, audit.seal);
        return toApproval(s.getApproval.get(boltId, nodeId, pending.visit) as ApprovalRow);
      });
    },

    async listApprovals(filter = {}) {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.boltId) {
        where.push("bolt_id = ?");
        args.push(filter.boltId);
      }
      if (filter.status) {
        where.push("status = ?");
        args.push(filter.status);
      }
      const sql = `SELECT * FROM approvals${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at, bolt_id, node_id`;
      return db
        .prepare<string[], ApprovalRow>(sql)
        .all(...args)
        .map(toApproval);
    },
  };
}

/** What happened inside a bolt's nodes, as the audit trail recorded it: for `factory logs`. */
import type { Home } from "../../home/index.js";
import type { AuditEntry } from "../../store/index.js";
import { BoltNotResumableError } from "../engine/engine-errors.js";

export interface BoltLogEntry {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  /** The node it happened in; null for the bolt's own entries (start, resume, end). */
  node: string | null;
  data: Record<string, unknown>;
}

const PAGE = 1_000;

export async function readBoltLog(
  home: Home,
  boltId: string,
  options: { node?: string } = {},
): Promise<BoltLogEntry[]> {
  if (!(await home.store.getBolt(boltId))) throw new BoltNotResumableError(boltId, "unknown");
  const subject = `bolt:${boltId}`;
  const entries: BoltLogEntry[] = [];
  for (let after = 0; ; ) {
    const page: AuditEntry[] = await home.store.readAudit({ afterSeq: after, limit: PAGE });
    for (const entry of page) {
      if (entry.subject !== subject && !entry.subject.startsWith(`${subject}/`)) continue;
      const node = entry.subject.slice(subject.length + 1) || null;
      if (options.node !== undefined && node !== options.node) continue;
      entries.push({
        seq: entry.seq,
        ts: entry.ts,
        actor: entry.actor,
        action: entry.action,
        node,
        data: (entry.data ?? {}) as Record<string, unknown>,
      });
    }
    if (page.length < PAGE) return entries;
    after = page.at(-1)?.seq ?? after;
  }
}

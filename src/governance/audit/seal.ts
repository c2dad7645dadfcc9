import { createHash } from "node:crypto";
import type { AuditDraft, AuditEntry, AuditHead } from "../../store/index.js";
import { canonicalJson } from "./canonical-json.js";

export const GENESIS_HASH = "0".repeat(64);

/** SHA-256 over the canonical JSON of everything in the entry but its own hash, `prev` included. */
export function hashAuditEntry(entry: Omit<AuditEntry, "hash">): string {
  const { seq, ts, actor, action, subject, data, prev } = entry;
  return createHash("sha256")
    .update(canonicalJson({ seq, ts, actor, action, subject, data, prev }))
    .digest("hex");
}

/**
 * Seals a draft onto the chain. `data` goes through JSON first so that what is hashed is
 * exactly what the store keeps and an export carries (no undefined, no class instances).
 */
export function sealAuditEntry(draft: AuditDraft, previous: AuditHead): AuditEntry {
  const data = JSON.parse(JSON.stringify(draft.data ?? null)) as unknown;
  const unsealed = { ...draft, data, seq: previous.seq + 1, prev: previous.hash };
  return { ...unsealed, hash: hashAuditEntry(unsealed) };
}

/**
 * Signed checkpoints: an audit entry (`audit.checkpoint`) whose data signs the `{seq, hash}`
 * of the entry right before it. With the key kept outside the home, a chain rewritten and
 * rehashed no longer matches the checkpoints, and new ones cannot be forged.
 */
import type { AuditDraft, AuditEntry, AuditHead, AuditSeal } from "../../store/index.js";
import type { SigningKey, VerifyingKey } from "../signing/signing-key.js";
import { canonicalJson } from "./canonical-json.js";
import { sealAuditEntry } from "./seal.js";

export const CHECKPOINT_ACTION = "audit.checkpoint";

/** What a checkpoint entry's `data` holds. */
export interface CheckpointData {
  seq: number;
  hash: string;
  key_id: string;
  signature: string;
}

/** The bytes a checkpoint signs: the canonical JSON of the signed entry's `{seq, hash}`. */
export const checkpointPayload = (head: AuditHead) =>
  canonicalJson({ seq: head.seq, hash: head.hash });

/** A seal that fills the draft's data with a signature of whatever entry precedes it in the transaction. */
export function checkpointSeal(signer: () => SigningKey): AuditSeal {
  return (draft: AuditDraft, previous: AuditHead): AuditEntry => {
    const key = signer();
    const data: CheckpointData = {
      seq: previous.seq,
      hash: previous.hash,
      key_id: key.keyId,
      signature: key.sign(checkpointPayload(previous)),
    };
    // The subject names the entry signed, known only here, inside the store's transaction.
    return sealAuditEntry({ ...draft, subject: `audit:${previous.seq}`, data }, previous);
  };
}

/** A checkpoint's event; its seal replaces the subject with the signed entry's `audit:<seq>`. */
export const checkpointEvent = () => ({
  actor: "system",
  action: CHECKPOINT_ACTION,
  subject: "audit:head",
});

/** The data of a checkpoint entry, or undefined when it does not have a checkpoint's shape. */
export function checkpointData(entry: AuditEntry): CheckpointData | undefined {
  const d = entry.data as Partial<CheckpointData> | null;
  if (
    !d ||
    typeof d !== "object" ||
    !Number.isInteger(d.seq) ||
    typeof d.hash !== "string" ||
    typeof d.key_id !== "string" ||
    typeof d.signature !== "string"
  )
    return undefined;
  return d as CheckpointData;
}

/** How the checkpoints of a verified log stood. */
export interface CheckpointSummary {
  count: number;
  /** Checkpoints whose signature was checked; 0 when no key was available. */
  verified: number;
  /** The key they were checked with, or null when none was available. */
  key_id: string | null;
  /** The last entry a verified signature covers (0 when none): entries after it rest on the chain alone. */
  signed_through: number;
}

/** Checks one checkpoint against the entry before it; returns a problem, or undefined when sound. */
export function checkCheckpoint(
  entry: AuditEntry,
  previous: AuditHead,
  keys: readonly VerifyingKey[],
  summary: CheckpointSummary,
): string | undefined {
  const data = checkpointData(entry);
  summary.count++;
  if (!data) return `checkpoint ${entry.seq} has no seq, hash, key_id and signature`;
  if (data.seq !== previous.seq || data.hash !== previous.hash) {
    return `checkpoint ${entry.seq} signs entry ${data.seq} (${data.hash.slice(0, 12)}…) but follows entry ${previous.seq} (${previous.hash.slice(0, 12)}…): the log was rewritten`;
  }
  if (keys.length === 0) return undefined;
  const key = keys.find((k) => k.keyId === data.key_id);
  if (!key) return `checkpoint ${entry.seq} is signed by unknown key ${data.key_id}`;
  if (!key.verify(checkpointPayload(data), data.signature)) {
    return `checkpoint ${entry.seq}'s signature does not verify with key ${key.keyId}: it was forged or altered`;
  }
  summary.verified++;
  summary.signed_through = data.seq;
  return undefined;
}

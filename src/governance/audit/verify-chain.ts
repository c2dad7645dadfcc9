/**
 * Chain verification shared by the store and export paths: entries arrive in order and are
 * checked one at a time, so a log of any length verifies in constant memory.
 */
import type { AuditEntry, AuditHead } from "../../store/index.js";
import type { VerifyingKey } from "../signing/signing-key.js";
import { CHECKPOINT_ACTION, type CheckpointSummary, checkCheckpoint } from "./checkpoint.js";
import { GENESIS_HASH, hashAuditEntry } from "./seal.js";

export type AuditFault =
  | "malformed"
  | "sequence"
  | "link"
  | "hash"
  | "head-missing"
  | "truncated"
  | "head-mismatch"
  | "anchor-missing"
  | "anchor-mismatch"
  /** A checkpoint that does not sign the entry before it, or whose signature fails. */
  | "checkpoint";

export interface AuditBreak {
  fault: AuditFault;
  /** The first entry that is wrong (or, for a truncation, the first one missing). */
  seq: number;
  /** Line of an export file, when verifying one. */
  line?: number;
  message: string;
}

export type AuditVerification =
  | {
      ok: true;
      count: number;
      head: AuditHead;
      anchored: boolean;
      checkpoints: CheckpointSummary;
    }
  | { ok: false; count: number; break: AuditBreak; checkpoints: CheckpointSummary };

/** A head hash kept outside the home (a release's `Audit-Head` trailer), optionally with its seq. */
export interface AuditAnchor {
  hash: string;
  seq?: number;
}

/** An entry to check, or a line of an export that could not be read as one. */
export type ChainItem = { entry: AuditEntry; line?: number } | { problem: string; line: number };

export interface ChainInput {
  entries: AsyncIterable<ChainItem>;
  /** The head as recorded apart from the entries; `undefined` means the record itself is missing. */
  recordedHead: () => Promise<AuditHead | undefined>;
  /** What to say when entries exist but the head record does not. */
  headMissing?: string;
  anchor?: AuditAnchor;
  /** Keys whose checkpoint signatures count; none means checkpoints are checked against the chain only. */
  keys?: readonly VerifyingKey[];
}

/** Parses `--head` values: `<hash>` or `<seq>:<hash>`. Returns undefined when malformed. */
export function parseAuditAnchor(text: string): AuditAnchor | undefined {
  const match = /^(?:(\d+):)?([0-9a-f]{64})$/.exec(text.trim().toLowerCase());
  if (!match?.[2]) return undefined;
  return match[1] === undefined ? { hash: match[2] } : { hash: match[2], seq: Number(match[1]) };
}

export async function verifyChain(input: ChainInput): Promise<AuditVerification> {
  let previous: AuditHead = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  let anchorSeen = false;
  const keys = input.keys ?? [];
  const checkpoints: CheckpointSummary = {
    count: 0,
    verified: 0,
    key_id: keys[0]?.keyId ?? null,
    signed_through: 0,
  };
  const fail = (
    fault: AuditFault,
    seq: number,
    message: string,
    line?: number,
  ): AuditVerification => ({
    ok: false,
    count,
    break: line === undefined ? { fault, seq, message } : { fault, seq, line, message },
    checkpoints,
  });

  for await (const item of input.entries) {
    const expected = previous.seq + 1;
    if ("problem" in item) return fail("malformed", expected, item.problem, item.line);
    const { entry, line } = item;
    if (entry.seq !== expected) {
      const what =
        entry.seq > expected
          ? `entries ${expected}..${entry.seq - 1} are missing`
          : "an entry was inserted or entries reordered";
      return fail(
        "sequence",
        expected,
        `expected entry ${expected} but found ${entry.seq}: ${what}`,
        line,
      );
    }
    if (entry.prev !== previous.hash) {
      return fail(
        "link",
        entry.seq,
        `entry ${entry.seq} does not follow entry ${previous.seq} (its prev hash differs)`,
        line,
      );
    }
    const { hash, ...rest } = entry;
    if (hashAuditEntry(rest) !== hash) {
      return fail(
        "hash",
        entry.seq,
        `entry ${entry.seq} was altered: its content does not match its hash`,
        line,
      );
    }
    if (entry.action === CHECKPOINT_ACTION) {
      const problem = checkCheckpoint(entry, previous, keys, checkpoints);
      if (problem) return fail("checkpoint", entry.seq, problem, line);
    }
    if (input.anchor && entry.hash === input.anchor.hash) {
      if (input.anchor.seq !== undefined && input.anchor.seq !== entry.seq) {
        return fail(
          "anchor-mismatch",
          entry.seq,
          `the anchored head names entry ${input.anchor.seq}, found at ${entry.seq}`,
          line,
        );
      }
      anchorSeen = true;
    } else if (input.anchor?.seq === entry.seq) {
      return fail(
        "anchor-mismatch",
        entry.seq,
        `entry ${entry.seq} differs from the anchored head: the log was rewritten`,
        line,
      );
    }
    previous = { seq: entry.seq, hash: entry.hash };
    count++;
  }

  const recorded = await input.recordedHead();
  if (recorded === undefined) {
    if (count > 0)
      return fail(
        "head-missing",
        previous.seq + 1,
        input.headMissing ?? "the log's head record is missing",
      );
  } else if (recorded.seq > previous.seq) {
    return fail(
      "truncated",
      previous.seq + 1,
      `the log ends at entry ${previous.seq} but its head record says ${recorded.seq}: entries were cut from the end`,
    );
  } else if (recorded.seq !== previous.seq || recorded.hash !== previous.hash) {
    return fail(
      "head-mismatch",
      recorded.seq,
      `the head record (entry ${recorded.seq}) does not match the last entry`,
    );
  }
  if (input.anchor && !anchorSeen) {
    return fail(
      "anchor-missing",
      input.anchor.seq ?? previous.seq + 1,
      `no entry has the anchored head hash ${input.anchor.hash.slice(0, 12)}…: the log was rewritten or cut short`,
    );
  }
  return {
    ok: true,
    count,
    head: previous,
    anchored: input.anchor !== undefined,
    checkpoints,
  };
}

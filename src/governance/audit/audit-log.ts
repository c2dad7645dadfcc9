import type { AuditDraft, AuditEntry, Store } from "../../store/index.js";
import type { Redactor } from "../redact.js";
import type { SigningKey } from "../signing/signing-key.js";
import {
  CHECKPOINT_ACTION,
  checkpointData,
  checkpointEvent,
  checkpointSeal,
} from "./checkpoint.js";
import { sealAuditEntry } from "./seal.js";

/** One event to record: who did what to which thing, with its details. */
export interface AuditEvent {
  /** A principal: `user:alice`, `agent:builder`, `system`. */
  actor: string;
  /** Dotted verb, e.g. `home.init`, `bolt.start`, `tool.write`. */
  action: string;
  /** What it acted on, e.g. `bolt:b-123`, `intent:refund-api`. */
  subject: string;
  data?: unknown;
}

/** The single way anything enters the audit log: every event is redacted, then sealed onto the chain. */
export interface AuditLog {
  append(actor: string, action: string, subject: string, data?: unknown): Promise<AuditEntry>;
  /** Several events in one transaction, chained in the order given. */
  appendMany(events: readonly AuditEvent[]): Promise<AuditEntry[]>;
  /**
   * Redacted drafts for a caller that writes them in a transaction of its own (the engine
   * records a step's journal and audit entries together); seal them with `sealAuditEntry`.
   */
  prepare(events: readonly AuditEvent[]): AuditDraft[];
  /**
   * Appends a signed checkpoint over the current head (the engine calls it as a bolt ends),
   * unless the head is a checkpoint already or the log has no checkpoint signer.
   */
  checkpoint(): Promise<AuditEntry | undefined>;
}

/** Signed checkpoints: one after every `every` entries, and whenever `checkpoint()` is called. */
export interface AuditCheckpointOptions {
  /** Called on the first checkpoint, so a home opened only to read never touches its key. */
  signer: () => SigningKey;
  every: number;
}

export interface AuditLogOptions {
  store: Store;
  redactor: Redactor;
  now?: () => Date;
  checkpoint?: AuditCheckpointOptions;
}

export function createAuditLog(options: AuditLogOptions): AuditLog {
  const now = options.now ?? (() => new Date());
  const draft = (event: AuditEvent): AuditDraft => {
    const r = options.redactor;
    return {
      ts: now().toISOString(),
      actor: r.redactText(event.actor),
      action: r.redactText(event.action),
      subject: r.redactText(event.subject),
      data: r.redact(event.data ?? {}),
    };
  };
  const store = options.store;
  const signing = options.checkpoint;
  let signer: SigningKey | undefined;
  const seal = signing
    ? checkpointSeal(() => {
        signer ??= signing.signer();
        return signer;
      })
    : undefined;
  // The highest seq a checkpoint is known to sign, so a crossing is looked up once.
  let covered = -1;
  const appendCheckpoint = async () => {
    if (!seal) return undefined;
    const [entry] = await store.appendAudit([draft(checkpointEvent())], seal);
    covered = Math.max(covered, checkpointData(entry as AuditEntry)?.seq ?? covered);
    return entry;
  };
  /** After the head passed a multiple of `every`: a checkpoint, unless one since the multiple exists. */
  const afterAppend = async (head: number) => {
    if (!signing) return;
    const mark = Math.floor(head / signing.every) * signing.every;
    if (mark === 0 || covered >= mark) return;
    // Entries after the mark may hold a checkpoint from another process or a bolt's end.
    const since = await store.readAudit({ afterSeq: mark, limit: Number.MAX_SAFE_INTEGER });
    for (const entry of since) {
      if (entry.action === CHECKPOINT_ACTION)
        covered = Math.max(covered, checkpointData(entry)?.seq ?? -1);
    }
    if (covered < mark) await appendCheckpoint();
  };
  const appendMany = async (events: readonly AuditEvent[]) => {
    const entries = await store.appendAudit(events.map(draft), sealAuditEntry);
    const last = entries.at(-1);
    if (last) await afterAppend(last.seq);
    return entries;
  };
  return {
    appendMany,
    prepare: (events) => events.map(draft),
    async checkpoint() {
      if (!seal) return undefined;
      const head = await store.auditHead();
      if (!head || head.seq === 0) return undefined;
      const [last] = await store.readAudit({ afterSeq: head.seq - 1, limit: 1 });
      if (last?.action === CHECKPOINT_ACTION) return undefined;
      return appendCheckpoint();
    },
    async append(actor, action, subject, data) {
      const [entry] = await appendMany([{ actor, action, subject, data }]);
      if (!entry) throw new Error("the store appended no entry");
      return entry;
    },
  };
}

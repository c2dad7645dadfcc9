import type { AuditDraft, AuditEntry, Store } from "../../store/index.js";
import type { Redactor } from "../redact.js";
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
}

export interface AuditLogOptions {
  store: Store;
  redactor: Redactor;
  now?: () => Date;
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
  const appendMany = (events: readonly AuditEvent[]) =>
    options.store.appendAudit(events.map(draft), sealAuditEntry);
  return {
    appendMany,
    prepare: (events) => events.map(draft),
    async append(actor, action, subject, data) {
      const [entry] = await appendMany([{ actor, action, subject, data }]);
      if (!entry) throw new Error("the store appended no entry");
      return entry;
    },
  };
}

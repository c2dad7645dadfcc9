/**
 * The audit log as JSON Lines: one entry a line, in order, then one `{"head": ...}` line.
 * The head line lets a copy be checked with no database, and its absence shows a cut file.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { InputError } from "../../common/index.js";
import type { AuditHead, Store } from "../../store/index.js";
import type { VerifyingKey } from "../signing/signing-key.js";
import { readAuditEntries } from "./verify-audit-log.js";
import {
  type AuditAnchor,
  type AuditVerification,
  type ChainItem,
  verifyChain,
} from "./verify-chain.js";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "a 64-character hex hash");
const exportedEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  data: z.unknown(),
  prev: hex64,
  hash: hex64,
});
const headLineSchema = z.strictObject({
  head: z.strictObject({
    seq: z.number().int().nonnegative(),
    hash: hex64,
    count: z.number().int().nonnegative(),
  }),
});

export interface AuditExportSummary {
  count: number;
  head: AuditHead;
}

/** Yields the export's lines (without newlines); the last one is the head line. */
export async function* auditExportLines(
  store: Store,
  summary?: (s: AuditExportSummary) => void,
): AsyncGenerator<string> {
  let count = 0;
  let head: AuditHead = { seq: 0, hash: "0".repeat(64) };
  for await (const { seq, ts, actor, action, subject, data, prev, hash } of readAuditEntries(
    store,
  )) {
    yield JSON.stringify({ seq, ts, actor, action, subject, data, prev, hash });
    head = { seq, hash };
    count++;
  }
  yield JSON.stringify({ head: { ...head, count } });
  summary?.({ count, head });
}

/** Verifies an exported file on its own: the chain, its head line, an optional anchor and checkpoint keys. */
export async function verifyAuditExport(
  path: string,
  options: { anchor?: AuditAnchor; keys?: readonly VerifyingKey[] } = {},
): Promise<AuditVerification> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new InputError(
      "audit-export-unreadable",
      `cannot read the audit export ${path}: ${(error as Error).message}`,
      {
        hint: "pass the file written by `factory audit export --out <file>`",
      },
    );
  }
  let footer: AuditHead | undefined;
  async function* items(): AsyncGenerator<ChainItem> {
    let line = 0;
    for await (const text of createInterface({
      input: stream,
      crlfDelay: Number.POSITIVE_INFINITY,
    })) {
      line++;
      if (text.trim() === "") continue;
      if (footer) {
        yield { problem: `line ${line} follows the head line: the export was appended to`, line };
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        yield { problem: `line ${line} is not JSON`, line };
        return;
      }
      const head = headLineSchema.safeParse(parsed);
      if (head.success) {
        footer = { seq: head.data.head.seq, hash: head.data.head.hash };
        continue;
      }
      const entry = exportedEntrySchema.safeParse(parsed);
      if (!entry.success) {
        const issue = entry.error.issues[0];
        yield {
          problem: `line ${line} is not an audit entry (${issue?.path.join(".")}: ${issue?.message})`,
          line,
        };
        return;
      }
      yield { entry: entry.data, line };
    }
  }
  return verifyChain({
    entries: items(),
    recordedHead: async () => footer,
    headMissing: "the export has no head line: the file was cut short",
    ...(options.anchor ? { anchor: options.anchor } : {}),
    ...(options.keys ? { keys: options.keys } : {}),
  });
}

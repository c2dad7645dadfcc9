import type { AuditEntry, Store } from "../../store/index.js";
import type { VerifyingKey } from "../signing/signing-key.js";
import { type AuditAnchor, type AuditVerification, verifyChain } from "./verify-chain.js";

const PAGE = 10_000;

/**
 * Verifies the store's audit chain against its head record and, if given, an anchor kept
 * elsewhere; checkpoint signatures are checked with `keys` (none: reported unverified).
 */
export function verifyAuditLog(
  store: Store,
  options: { anchor?: AuditAnchor; keys?: readonly VerifyingKey[] } = {},
): Promise<AuditVerification> {
  return verifyChain({
    entries: (async function* () {
      for await (const entry of readAuditEntries(store)) yield { entry };
    })(),
    recordedHead: () => store.auditHead(),
    ...(options.anchor ? { anchor: options.anchor } : {}),
    ...(options.keys ? { keys: options.keys } : {}),
  });
}

/** Every entry in `seq` order, a page at a time, so any length fits in constant memory. */
export async function* readAuditEntries(store: Store): AsyncGenerator<AuditEntry> {
  let afterSeq = 0;
  for (;;) {
    const page = await store.readAudit({ afterSeq, limit: PAGE });
    yield* page;
    const last = page.at(-1);
    // Paging by the last seq read, not by count, so a gap or duplicate still reaches the checker.
    if (page.length < PAGE || !last || last.seq <= afterSeq) return;
    afterSeq = last.seq;
  }
}

import type { Store } from "../../store/index.js";
import {
  type AuditAnchor,
  type AuditVerification,
  type ChainItem,
  verifyChain,
} from "./verify-chain.js";

const PAGE = 10_000;

/** Verifies the store's audit chain against its head record and, if given, an anchor kept elsewhere. */
export function verifyAuditLog(
  store: Store,
  options: { anchor?: AuditAnchor } = {},
): Promise<AuditVerification> {
  return verifyChain({
    entries: readAll(store),
    recordedHead: () => store.auditHead(),
    ...(options.anchor ? { anchor: options.anchor } : {}),
  });
}

async function* readAll(store: Store): AsyncGenerator<ChainItem> {
  let afterSeq = 0;
  for (;;) {
    const page = await store.readAudit({ afterSeq, limit: PAGE });
    for (const entry of page) yield { entry };
    const last = page.at(-1);
    // Paging by the last seq read, not by count, so a gap or duplicate still reaches the checker.
    if (page.length < PAGE || !last || last.seq <= afterSeq) return;
    afterSeq = last.seq;
  }
}

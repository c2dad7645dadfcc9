// Run as a separate process by sqlite-store.test.ts: waits for a shared start time, then tries
// to take one bolt's lease on the same state.db and prints what happened as one JSON line.
import { createSqliteStore } from "./sqlite-store.js";

const [path, boltId, owner, ttl, startAt] = process.argv.slice(2);
if (!path || !boltId || !owner)
  throw new Error("usage: lease-contender <db> <bolt> <owner> <ttlMs> <startAtMs>");
const store = createSqliteStore({ path });
while (Date.now() < Number(startAt ?? 0)) {
  // Spin rather than sleep so every contender fires within the same millisecond.
}
const attempt = await store.acquireLease(boltId, owner, Number(ttl ?? 1_000));
process.stdout.write(`${JSON.stringify(attempt)}\n`);
await store.close();

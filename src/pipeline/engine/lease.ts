/** Taking a bolt's lease, and telling a dead holder from a live one. */
import { hostname } from "node:os";
import type { Lease } from "../../store/index.js";
import type { EngineDeps } from "./engine-deps.js";
import { BoltLeasedError } from "./engine-errors.js";

/**
 * The bolt's lease for this process: free, expired, or held by a process on this machine that
 * no longer exists (then taken over, compare-and-swap, so two resumers cannot both win).
 */
export async function takeLease(deps: EngineDeps, boltId: string, ttlMs: number): Promise<Lease> {
  const attempt = await deps.store.acquireLease(boltId, deps.owner, ttlMs);
  if (attempt.acquired) return attempt.lease;
  const alive = deps.isOwnerAlive ?? isLocalOwnerAlive;
  if (alive(attempt.holder.owner)) throw new BoltLeasedError(boltId, attempt.holder);
  const taken = await deps.store.acquireLease(boltId, deps.owner, ttlMs, {
    takeOverFrom: attempt.holder,
  });
  if (taken.acquired) return taken.lease;
  // Another process took it over first: name that one.
  throw new BoltLeasedError(boltId, taken.holder);
}

/** Lease owners are `host:pid:nonce`; on this host, a pid that no longer exists is a dead owner. */
export function isLocalOwnerAlive(owner: string): boolean {
  const [host, pid] = owner.split(":");
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function leaseOwnerName(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

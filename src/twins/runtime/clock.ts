/** Virtual time: a fixed start, moved only on purpose, so the same requests give the same times. */
import type { TwinClock } from "./contract.js";

/** 2026-01-01T00:00:00Z: recent enough to look real, fixed so runs repeat. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);

export interface SnapshotClock extends TwinClock {
  set(ms: number): void;
}

export function createClock(start = DEFAULT_EPOCH_MS): SnapshotClock {
  let now = start;
  return {
    now: () => now,
    seconds: () => Math.floor(now / 1000),
    advance: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError("the clock only moves forward");
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}

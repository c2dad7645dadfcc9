import type { StageStatus } from "./outcome.js";

/**
 * The engine's resumable state, written with every step in the same transaction as the
 * journal (§5.3, kept in the store rather than a file so that it commits with the journal).
 */
export interface Checkpoint {
  version: 1;
  /** The node to run next; null once the bolt has finished. */
  next: string | null;
  /** The attempt journaled as started but not yet finished: a resume runs it again with the same key. */
  inProgress?: { node: string; attempt: number; visit: number };
  completed: string[];
  /** The last outcome of each node, for goal gates. */
  outcomes: Record<string, StageStatus>;
  retries: Record<string, number>;
  visits: Record<string, number>;
  context: Record<string, unknown>;
}

export function initialCheckpoint(start: string, context: Record<string, unknown>): Checkpoint {
  return { version: 1, next: start, completed: [], outcomes: {}, retries: {}, visits: {}, context };
}

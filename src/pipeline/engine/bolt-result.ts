import type { BoltStatus } from "../../store/index.js";
import type { Outcome, Question } from "./outcome.js";

/** How a call to the engine ended: finished, or parked at a human gate. */
export interface BoltResult {
  boltId: string;
  status: Exclude<BoltStatus, "pending" | "running">;
  outcome: Outcome;
  /** Set when the bolt waits for a person. */
  waiting?: { node: string; question: Question };
  context: Record<string, unknown>;
  completed: string[];
}

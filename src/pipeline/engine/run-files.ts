/** The files a bolt leaves in `<runs>/<bolt>/` for people and tools: status files and the checkpoint (§5.3, Appendix C). */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Checkpoint } from "./checkpoint.js";
import { type Outcome, statusFile } from "./outcome.js";

export function writeRunFile(
  runsDir: string,
  boltId: string,
  relative: string,
  value: unknown,
): void {
  const path = join(runsDir, boltId, relative);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function writeStatusFile(
  runsDir: string,
  boltId: string,
  nodeId: string,
  outcome: Outcome,
): void {
  writeRunFile(runsDir, boltId, join(nodeId, "status.json"), statusFile(outcome));
}

/**
 * §5.3's checkpoint file, written when the bolt stops (ends or parks). The store's checkpoint,
 * written with every step, is the one resume trusts.
 */
export function writeCheckpointFile(
  runsDir: string,
  boltId: string,
  cp: Checkpoint,
  at: number,
): void {
  writeRunFile(runsDir, boltId, "checkpoint.json", {
    timestamp: new Date(at).toISOString(),
    current_node: cp.completed.at(-1) ?? null,
    completed_nodes: cp.completed,
    node_retries: cp.retries,
    context: cp.context,
    logs: [],
    next_node: cp.next,
  });
}

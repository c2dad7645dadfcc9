/** What the engine wrote to `<runsDir>/<boltId>/<node>/status.json` (§11.3, Appendix C). */
import type { Rig } from "./create-rig.js";

export interface StageStatusFile {
  /**
   * The stage's status. Appendix C names this field `outcome`; the engine writes the Outcome
   * object as is, whose field is `status` (reported as a divergence), so this reads either.
   */
  outcome: string | undefined;
  failure_reason?: string;
  context_updates?: Record<string, unknown>;
  notes?: string;
}

/** Undefined when the node wrote no status.json. */
export function readStatus(rig: Rig, boltId: string, node: string): StageStatusFile | undefined {
  const json = rig.readJson<Record<string, unknown>>(boltId, node, "status.json");
  if (!json) return undefined;
  return { ...json, outcome: (json.outcome ?? json.status) as string | undefined };
}

/** A bolt's status as its journal tells it: for `factory status`, the demo and the dashboard. */
import type { Home } from "../home/index.js";
import type { BoltStatus } from "../store/index.js";
import { BoltNotResumableError } from "./engine/engine-errors.js";

export interface NodeStatus {
  id: string;
  status: string;
  /** The most tries of one visit (retries included). */
  attempts: number;
  /** How many times the bolt entered the node (a loop back enters it again). */
  visits: number;
  ms: number;
}

export interface BoltReport {
  bolt: string;
  status: BoltStatus;
  pipeline: string;
  currentNode: string | null;
  waitingAt: string | null;
  nodes: NodeStatus[];
  createdAt: string;
  updatedAt: string;
}

/** Each node's last status, attempts and time, and where the bolt is. */
export async function boltReport(home: Home, boltId: string): Promise<BoltReport> {
  const bolt = await home.store.getBolt(boltId);
  if (!bolt) throw new BoltNotResumableError(boltId, "unknown");
  const nodes = new Map<string, NodeStatus>();
  let current: string | null = null;
  let waitingAt: string | null = null;
  for (const entry of await home.store.readJournal(boltId)) {
    if (!entry.nodeId) continue;
    const data = entry.data as {
      attempt?: number;
      status?: string;
      attempts?: number;
      ms?: number;
    };
    const node = nodes.get(entry.nodeId) ?? {
      id: entry.nodeId,
      status: "pending",
      attempts: 0,
      visits: 0,
      ms: 0,
    };
    if (entry.kind === "node.start") {
      node.status = "running";
      node.attempts = Math.max(node.attempts, data.attempt ?? 1);
      current = entry.nodeId;
    } else if (entry.kind === "node.outcome" || entry.kind === "branch.outcome") {
      node.status = data.status ?? node.status;
      node.attempts = Math.max(node.attempts, data.attempts ?? 1);
      node.visits += 1;
      node.ms += data.ms ?? 0;
    } else if (entry.kind === "node.waiting") {
      node.status = "waiting";
      waitingAt = entry.nodeId;
    } else continue;
    nodes.set(entry.nodeId, node);
  }
  const checkpoint = (await home.store.getCheckpoint(boltId)) as
    | { next?: string | null }
    | undefined;
  return {
    bolt: bolt.id,
    status: bolt.status,
    pipeline: bolt.pipeline,
    currentNode:
      bolt.status === "running" || bolt.status === "waiting" ? (checkpoint?.next ?? current) : null,
    waitingAt: bolt.status === "waiting" ? waitingAt : null,
    nodes: [...nodes.values()],
    createdAt: new Date(bolt.createdAt).toISOString(),
    updatedAt: new Date(bolt.updatedAt).toISOString(),
  };
}

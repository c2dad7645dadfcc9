import type { AuditLog, Redactor } from "../../governance/index.js";
import type { Store } from "../../store/index.js";
import type { HandlerRegistry } from "./handler.js";

/** Something worth showing a person while a bolt runs (progress on stderr, SSE later). */
export type EngineEvent =
  | { kind: "node.start"; boltId: string; node: string; attempt: number }
  | {
      kind: "node.outcome";
      boltId: string;
      node: string;
      status: string;
      attempt: number;
      ms: number;
      next?: string;
      /** Set for a node run inside a parallel branch: the node the branch started at. */
      branch?: string;
    }
  | {
      kind: "node.retry";
      boltId: string;
      node: string;
      attempt: number;
      delayMs: number;
      reason: string;
    }
  | { kind: "bolt.waiting"; boltId: string; node: string; question: string }
  | { kind: "bolt.end"; boltId: string; status: string };

export interface EngineDeps {
  store: Store;
  audit: AuditLog;
  redactor: Redactor;
  registry: HandlerRegistry;
  /** This process's name as a lease owner: `host:pid:nonce`. */
  owner: string;
  /** The principal recorded in the audit log. */
  actor: string;
  /** `<home>/.factory/runs`: each bolt gets a folder for its artifacts. */
  runsDir: string;
  leaseTtlMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** For backoff jitter; seeded in tests. */
  random?: () => number;
  onEvent?: (event: EngineEvent) => void;
  /**
   * Test-only: called at named points (`node-start:<id>`, `after-effect:<id>`, `node-done:<id>`)
   * so a test can kill the process exactly there.
   */
  checkpointHook?: (point: string) => void;
  /** Stops the run from outside (the CLI wires Ctrl-C to it); the bolt stays resumable. */
  signal?: AbortSignal;
  /** Whether a lease owner is still alive; default: a dead pid on this host is not. */
  isOwnerAlive?: (owner: string) => boolean;
}

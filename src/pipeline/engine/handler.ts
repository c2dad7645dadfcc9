/** The handler contract (§4.1) and its registry (§4.2). */
import { nodeType, type PipelineGraph, type PipelineNode, shapeToType } from "../graph.js";
import type { Answer, HandlerResult, Outcome } from "./outcome.js";
import type { RunContext } from "./run-context.js";

export interface BranchResult {
  /** The node the branch started at. */
  id: string;
  outcome: Outcome;
  context: Record<string, unknown>;
  /** Where the branch stopped: the fan-in node it reached, or undefined at a dead end. */
  joinedAt?: string;
}

export interface HandlerInput {
  node: PipelineNode;
  graph: PipelineGraph;
  /** Read it; change it only by returning `context_updates`. */
  context: RunContext;
  boltId: string;
  /** This node's folder for artifacts (prompt.md, response.md, status.json). */
  stageDir: string;
  /** The bolt's folder; tool commands run here. */
  runDir: string;
  attempt: number;
  /** How many times the run has entered this node, this time included. */
  visit: number;
  /**
   * Stable across a resume of the same attempt: a handler with an effect outside the engine
   * checks it before acting, so a kill between the effect and its journal entry does not repeat it.
   */
  idempotencyKey: string;
  signal: AbortSignal;
  /** The answer a person gave to this visit's question, when there is one (wait.human). */
  answer?: Answer;
  /** Runs the graph from `startNodeId` with its own context until a fan-in or a dead end (parallel). */
  runBranch(startNodeId: string, context: RunContext, signal: AbortSignal): Promise<BranchResult>;
}

export interface Handler {
  /** Says that the handler acts outside the engine (a command, an API call), so it is given an idempotency key to check. */
  readonly sideEffect?: boolean;
  execute(input: HandlerInput): Promise<HandlerResult>;
}

export interface HandlerRegistry {
  register(type: string, handler: Handler): void;
  resolve(node: PipelineNode): Handler | undefined;
  /** Every registered type, for validation's `type_known`. */
  types(): ReadonlySet<string>;
}

export function createHandlerRegistry(entries: Record<string, Handler> = {}): HandlerRegistry {
  const handlers = new Map(Object.entries(entries));
  return {
    register: (type, handler) => {
      handlers.set(type, handler);
    },
    // Explicit type, then the shape's type, then the default (codergen), as §4.2 orders them.
    resolve: (node) =>
      handlers.get(nodeType(node)) ??
      handlers.get(shapeToType[node.attrs.shape ?? "box"] ?? "codergen") ??
      handlers.get("codergen"),
    types: () => new Set(handlers.keys()),
  };
}

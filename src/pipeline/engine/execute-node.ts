/** One node's attempts under its retry policy (§3.5), each journaled before it runs. */
import { join } from "node:path";
import { FactoryError } from "../../common/index.js";
import { StoreError } from "../../store/index.js";
import { attrBool, nodeType, type PipelineGraph, type PipelineNode } from "../graph.js";
import type { EngineDeps } from "./engine-deps.js";
import type { Handler, HandlerInput } from "./handler.js";
import { type Answer, type HandlerResult, isWaiting, type Outcome } from "./outcome.js";
import { delayForAttempt, retryPolicyFor } from "./retry-policy.js";
import type { RunContext } from "./run-context.js";

export interface AttemptRecorder {
  /** Journal that `attempt` starts now (the engine's point of no return for that attempt). */
  started(attempt: number): Promise<void>;
  /** Journal a retry decision before sleeping. */
  retrying(attempt: number, delayMs: number, reason: string): Promise<void>;
}

export interface ExecuteNodeInput {
  deps: EngineDeps;
  graph: PipelineGraph;
  node: PipelineNode;
  context: RunContext;
  boltId: string;
  visit: number;
  /** Inside a parallel branch: `<parallel node>@<visit>/<branch>`, so keys stay unique. */
  scope?: string;
  /** The attempt to start at: 1, or the one a killed process left unfinished. */
  firstAttempt: number;
  signal: AbortSignal;
  answer?: Answer;
  recorder: AttemptRecorder;
  runBranch: HandlerInput["runBranch"];
}

export async function executeNode(
  input: ExecuteNodeInput,
): Promise<HandlerResult & { attempts: number }> {
  const { deps, graph, node, boltId } = input;
  const handler = deps.registry.resolve(node);
  // A person's answer is not retried: a rejection stands.
  const policy =
    nodeType(node) === "wait.human"
      ? { ...retryPolicyFor(node, graph), maxAttempts: 1 }
      : retryPolicyFor(node, graph);
  const sleep = deps.sleep ?? abortableSleep;
  for (let attempt = input.firstAttempt; ; attempt++) {
    await input.recorder.started(attempt);
    deps.checkpointHook?.(`node-start:${node.id}`);
    const result = await runHandler(handler, {
      node,
      graph,
      context: input.context,
      boltId,
      stageDir: join(deps.runsDir, boltId, node.id),
      runDir: join(deps.runsDir, boltId),
      attempt,
      visit: input.visit,
      idempotencyKey: idempotencyKey(boltId, input.scope, node.id, input.visit, attempt),
      signal: input.signal,
      ...(input.answer ? { answer: input.answer } : {}),
      runBranch: input.runBranch,
    });
    deps.checkpointHook?.(`after-effect:${node.id}`);
    if (isWaiting(result)) return { ...result, attempts: attempt };
    if (
      result.status === "success" ||
      result.status === "partial_success" ||
      result.status === "skipped"
    ) {
      return { ...result, attempts: attempt };
    }
    if (input.signal.aborted) return { ...result, attempts: attempt };
    // §11.5 over §3.5: a node that allows retries is retried on FAIL as well as on RETRY.
    if (attempt < policy.maxAttempts) {
      const delayMs = delayForAttempt(attempt, policy.backoff, deps.random ?? Math.random);
      await input.recorder.retrying(attempt, delayMs, result.failure_reason ?? result.status);
      await sleep(delayMs, input.signal);
      continue;
    }
    if (result.status === "retry") {
      const exhausted: Outcome = attrBool(node.attrs, "allow_partial")
        ? { status: "partial_success", notes: "retries exhausted, partial accepted" }
        : {
            status: "fail",
            failure_reason: `max retries exceeded (${policy.maxAttempts} attempts)`,
          };
      return { ...exhausted, attempts: attempt };
    }
    return { ...result, attempts: attempt };
  }
}

/** A handler that throws is a bug in the handler, not in the run: it becomes a FAIL outcome (§4.12). */
async function runHandler(
  handler: Handler | undefined,
  input: HandlerInput,
): Promise<HandlerResult> {
  if (!handler)
    return { status: "fail", failure_reason: `no handler is registered for node ${input.node.id}` };
  try {
    return await handler.execute(input);
  } catch (error) {
    // The store failing is not the stage failing: it stops the run, which resumes later.
    if (error instanceof StoreError) throw error;
    const hint = error instanceof FactoryError && error.hint ? ` (${error.hint})` : "";
    return {
      status: "fail",
      failure_reason: `handler error: ${(error as Error).message ?? String(error)}${hint}`,
    };
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** `<bolt>:[<scope>/]<node>:<visit>:<attempt>`: the same when a resume runs that attempt again. */
export function idempotencyKey(
  boltId: string,
  scope: string | undefined,
  nodeId: string,
  visit: number,
  attempt: number,
): string {
  return `${boltId}:${scope ? `${scope}/` : ""}${nodeId}:${visit}:${attempt}`;
}

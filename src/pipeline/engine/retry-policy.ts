/** Retry policies and backoff (§3.5, §3.6). */
import { attrInt, type PipelineGraph, type PipelineNode } from "../graph.js";

export interface Backoff {
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  jitter: boolean;
}

export interface RetryPolicy {
  /** At least 1; `max_retries=3` gives 4. */
  maxAttempts: number;
  backoff: Backoff;
}

export const retryPresets: Readonly<Record<string, RetryPolicy>> = {
  none: { maxAttempts: 1, backoff: { initialDelayMs: 0, factor: 1, maxDelayMs: 0, jitter: false } },
  standard: {
    maxAttempts: 5,
    backoff: { initialDelayMs: 200, factor: 2, maxDelayMs: 60_000, jitter: true },
  },
  aggressive: {
    maxAttempts: 5,
    backoff: { initialDelayMs: 500, factor: 2, maxDelayMs: 60_000, jitter: true },
  },
  linear: {
    maxAttempts: 3,
    backoff: { initialDelayMs: 500, factor: 1, maxDelayMs: 60_000, jitter: true },
  },
  patient: {
    maxAttempts: 3,
    backoff: { initialDelayMs: 2_000, factor: 3, maxDelayMs: 60_000, jitter: true },
  },
};

/**
 * The node's policy: attempts from `max_retries`, else the graph's `default_max_retries` (or its
 * legacy alias), else the `retry_policy` preset's, else one; the backoff from `retry_policy`
 * (our extension naming a §3.6 preset), else `standard`.
 */
export function retryPolicyFor(node: PipelineNode, graph: PipelineGraph): RetryPolicy {
  const preset = node.attrs.retry_policy ? retryPresets[node.attrs.retry_policy] : undefined;
  const retries =
    attrInt(node.attrs, "max_retries") ??
    attrInt(graph.attrs, "default_max_retries") ??
    attrInt(graph.attrs, "default_max_retry");
  const maxAttempts = retries !== undefined ? retries + 1 : (preset?.maxAttempts ?? 1);
  const backoff = (preset ?? retryPresets.standard)?.backoff ?? {
    initialDelayMs: 200,
    factor: 2,
    maxDelayMs: 60_000,
    jitter: true,
  };
  return { maxAttempts: Math.max(1, maxAttempts), backoff };
}

/** Delay before retry number `attempt` (1 = the first retry), with jitter in [0.5, 1.5) from `random`. */
export function delayForAttempt(attempt: number, backoff: Backoff, random: () => number): number {
  const base = Math.min(
    backoff.initialDelayMs * backoff.factor ** (attempt - 1),
    backoff.maxDelayMs,
  );
  return Math.round(backoff.jitter ? base * (0.5 + random()) : base);
}

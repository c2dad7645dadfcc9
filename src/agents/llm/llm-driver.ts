/**
 * The `llm` driver: our own tool loop over any `LlmProvider`. Each task starts from a fresh
 * context; the loop enforces the task's and the bolt's budgets, retries the provider with
 * backoff (honouring its retry-after), steers a model that repeats itself and stops it if it
 * goes on, and records every model call.
 */
import { createHash } from "node:crypto";
import type { AgentAction, AgentDriver, AgentReport, StopReason } from "../contract.js";
import { performToolCall, toolSpecs } from "./agent-tools.js";
import {
  abortableSleep,
  asProviderError,
  costOf,
  type LlmMessage,
  type LlmProvider,
  type LlmRequest,
  type LlmResponse,
  type ModelPrice,
  retryDelayMs,
} from "./provider.js";
import { buildTaskContext } from "./task-context.js";

export interface Budget {
  steps?: number;
  tokens?: number;
  usd?: number;
  wallTimeMs?: number;
}

/** What a bolt has spent so far, shared by all its tasks (and so all their budgets). */
export interface Spend {
  steps: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** When the bolt's first model call was made, epoch ms. */
  startedAt?: number;
}

export function newSpend(): Spend {
  return { steps: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
}

export interface LlmDriverOptions {
  provider: LlmProvider;
  model: string;
  /** Undefined: the model has no price, and the report says so. */
  price?: ModelPrice;
  budgets?: { task?: Budget; bolt?: Budget };
  /** The bolt's spending, shared across tasks; a fresh one when absent. */
  boltSpend?: Spend;
  /** Most tokens per answer. Default 4096. */
  maxTokens?: number;
  /** Provider calls per step, first included. Default 6. */
  attempts?: number;
  /** Backoff before the n-th retry: base × 2^(n-1), at most max. Defaults 500 ms and 30 s. */
  backoff?: { baseMs: number; maxMs: number };
  /** The same call this many times in a row is steered away; this many more, stopped. Default 3 and 2. */
  loop?: { steerAfter: number; stopAfter: number };
  /** For tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** A model that answers without a tool call is nudged this many times, then stopped. */
const NUDGES = 2;

export function createLlmDriver(options: LlmDriverOptions): AgentDriver {
  const boltSpend = options.boltSpend ?? newSpend();
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const attempts = options.attempts ?? 6;
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const loop = options.loop ?? { steerAfter: 3, stopAfter: 2 };

  return {
    name: "llm",
    async doTask(task, tools, signal) {
      const { system, prompt } = await buildTaskContext(task, tools);
      const messages: LlmMessage[] = [{ role: "user", content: prompt }];
      const actions: AgentAction[] = [];
      const spend = { ...newSpend(), startedAt: now() };
      boltSpend.startedAt ??= spend.startedAt;
      const unpriced = options.price ? undefined : options.model;
      let nudges = 0;
      let repeated = { signature: "", count: 0 };

      const stop = (reason: StopReason, summary: string): AgentReport => ({
        status: "gave_up",
        reason,
        summary,
        actions,
        usage: usageOf(spend, unpriced),
      });

      for (;;) {
        if (signal.aborted) return stop("aborted", "the task was cancelled");
        const exceeded =
          overBudget(spend, options.budgets?.task, now(), "task") ??
          overBudget(boltSpend, options.budgets?.bolt, now(), "bolt");
        if (exceeded) return stop("budget", exceeded);

        const request: LlmRequest = {
          model: options.model,
          system,
          messages,
          tools: toolSpecs,
          maxTokens: options.maxTokens ?? 4096,
        };
        const called = await callProvider(request);
        if (!("response" in called)) return stop(called.reason, called.summary);
        const { response } = called;

        messages.push({ role: "assistant", text: response.text, toolCalls: response.toolCalls });
        if (response.toolCalls.length === 0) {
          if (nudges >= NUDGES)
            return stop(
              "no_finish",
              `the model stopped without calling finish: ${excerpt(response.text)}`,
            );
          nudges += 1;
          messages.push({
            role: "user",
            content:
              "Use the tools to do the task. When it is done and its tests pass, call finish with a summary.",
          });
          continue;
        }

        const results = [];
        for (const call of response.toolCalls) {
          const signature = `${call.name} ${canonical(call.input)}`;
          repeated =
            signature === repeated.signature
              ? { signature, count: repeated.count + 1 }
              : { signature, count: 1 };
          if (repeated.count >= loop.steerAfter + loop.stopAfter)
            return stop("loop", `the model repeated ${call.name} ${repeated.count} times in a row`);
          if (repeated.count >= loop.steerAfter) {
            results.push({
              callId: call.id,
              name: call.name,
              isError: true,
              content: `You have made this exact ${call.name} call ${repeated.count} times in a row; it will not give a different result. Do something else.`,
            });
            continue;
          }
          const outcome = await performToolCall(call, tools);
          actions.push(outcome.action);
          if (outcome.action.kind === "finish")
            return {
              status: "finished",
              summary: outcome.action.summary,
              actions,
              usage: usageOf(spend, unpriced),
            };
          results.push({
            callId: call.id,
            name: call.name,
            content: outcome.content,
            isError: outcome.isError,
          });
        }
        messages.push({ role: "tool", results });
      }

      /** One step's model call, retried; the step counts against the budgets once. */
      async function callProvider(
        request: LlmRequest,
      ): Promise<{ response: LlmResponse } | { reason: StopReason; summary: string }> {
        const digest = createHash("sha256").update(JSON.stringify(request)).digest("hex");
        for (let attempt = 1; ; attempt++) {
          const started = now();
          try {
            const response = await options.provider.complete(request, signal);
            const cost = costOf(response.usage, options.price);
            for (const total of [spend, boltSpend]) {
              total.steps += 1;
              total.inputTokens += response.usage.inputTokens;
              total.outputTokens += response.usage.outputTokens;
              total.costUsd += cost;
            }
            await tools.record?.("model_call", {
              provider: options.provider.name,
              model: response.model,
              step: spend.steps,
              attempt,
              promptDigest: digest,
              inputTokens: response.usage.inputTokens,
              outputTokens: response.usage.outputTokens,
              costUsd: cost,
              ...(options.price ? {} : { unpriced: true }),
              ms: now() - started,
              stopReason: response.stopReason,
              toolCalls: response.toolCalls.map((call) => call.name),
            });
            return { response };
          } catch (error) {
            if (signal.aborted) return { reason: "aborted", summary: "the task was cancelled" };
            const failure = asProviderError(error);
            const delayMs = retryDelayMs(failure, attempt, backoff);
            const last = !failure.retryable || attempt >= attempts;
            await tools.record?.("model_error", {
              provider: options.provider.name,
              model: options.model,
              attempt,
              kind: failure.kind,
              ...(failure.status ? { status: failure.status } : {}),
              message: failure.message,
              ...(last ? {} : { retryInMs: delayMs }),
            });
            if (last)
              return {
                reason: "provider",
                summary: `the ${options.provider.name} provider failed ${attempt} time(s); last: ${failure.kind}: ${failure.message}`,
              };
            // The wall-time budget counts the wait too: a provider down for an hour must not
            // hold a task past its limit.
            const exceeded =
              overBudget(spend, options.budgets?.task, now() + delayMs, "task") ??
              overBudget(boltSpend, options.budgets?.bolt, now() + delayMs, "bolt");
            if (exceeded) return { reason: "budget", summary: exceeded };
            await sleep(delayMs, signal);
          }
        }
      }
    },
  };
}

/** Which budget is spent, in words; undefined while all hold. */
function overBudget(
  spend: Spend,
  budget: Budget | undefined,
  at: number,
  scope: "task" | "bolt",
): string | undefined {
  if (!budget) return undefined;
  const tokens = spend.inputTokens + spend.outputTokens;
  if (budget.steps !== undefined && spend.steps >= budget.steps)
    return `the ${scope} budget of ${budget.steps} model steps is spent`;
  if (budget.tokens !== undefined && tokens >= budget.tokens)
    return `the ${scope} budget of ${budget.tokens} tokens is spent (${tokens} used)`;
  if (budget.usd !== undefined && spend.costUsd >= budget.usd)
    return `the ${scope} budget of $${budget.usd} is spent ($${spend.costUsd.toFixed(4)} used)`;
  if (
    budget.wallTimeMs !== undefined &&
    spend.startedAt !== undefined &&
    at - spend.startedAt >= budget.wallTimeMs
  )
    return `the ${scope} budget of ${Math.round(budget.wallTimeMs / 1000)} s of wall time is spent`;
  return undefined;
}

function usageOf(spend: Spend, unpricedModel: string | undefined): AgentReport["usage"] {
  return {
    steps: spend.steps,
    inputTokens: spend.inputTokens,
    outputTokens: spend.outputTokens,
    costUsd: spend.costUsd,
    ...(unpricedModel ? { unpriced: [unpricedModel] } : {}),
  };
}

/** Key order does not make two calls different. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text || "(no text)";
}

/**
 * The `llm` evaluator: one model call in a fresh context, answered with a JSON verdict. An
 * answer that is not one gets a single second chance with the reason; a second bad answer is
 * an error, never a guess at what the model meant.
 */
import { createHash } from "node:crypto";
import { WorkError } from "../../common/index.js";
import { type AgentEvaluator, type Evaluation, evaluationSchema } from "../evaluator.js";
import { EVALUATOR_SYSTEM, evaluationPrompt } from "./evaluation-prompt.js";
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

export interface LlmEvaluatorOptions {
  provider: LlmProvider;
  model: string;
  /** Undefined: the model has no price, and the recorded calls say so. */
  price?: ModelPrice;
  /** Most tokens per answer. Default 4096. */
  maxTokens?: number;
  /** Provider calls per answer, first included, for errors worth retrying. Default 4. */
  attempts?: number;
  /** Backoff before the n-th retry: base × 2^(n-1), at most max. Defaults 500 ms and 30 s. */
  backoff?: { baseMs: number; maxMs: number };
  /** Records each model call in the bolt's audit log, as the builder's loop does. */
  record?: (action: string, data: Record<string, unknown>) => Promise<void>;
  /** For tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** How many answers the model may give: the first, and one more after being told what was wrong. */
const ANSWERS = 2;

export function createLlmEvaluator(options: LlmEvaluatorOptions): AgentEvaluator {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const attempts = options.attempts ?? 4;
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const record = options.record ?? (async () => {});

  return {
    name: "llm",
    async evaluate(request, signal) {
      const messages: LlmMessage[] = [{ role: "user", content: evaluationPrompt(request) }];
      let problem = "";
      for (let answer = 1; answer <= ANSWERS; answer++) {
        const response = await call(messages, answer, signal);
        const parsed = parseEvaluation(response.text);
        if (parsed.ok) return parsed.value;
        problem =
          response.stopReason === "max_tokens"
            ? `${parsed.problem} (the answer was cut off at the token limit)`
            : parsed.problem;
        await record("malformed_answer", { answer, problem, excerpt: response.text.slice(0, 500) });
        messages.push(
          { role: "assistant", text: response.text, toolCalls: [] },
          {
            role: "user",
            content: `That answer is not usable: ${problem}. Answer again with ONLY the JSON object described in your instructions, nothing before or after it.`,
          },
        );
      }
      throw new WorkError(
        "evaluator-malformed",
        `the ${options.provider.name} evaluator (${options.model}) gave no usable verdict in ${ANSWERS} answers; last: ${problem}`,
        { hint: "try another model for agents.evaluator in factory.yaml, or resume the bolt" },
      );
    },
  };

  /** One answer, with provider errors worth retrying retried; each call recorded. */
  async function call(
    messages: LlmMessage[],
    step: number,
    signal: AbortSignal,
  ): Promise<LlmResponse> {
    const request: LlmRequest = {
      model: options.model,
      system: EVALUATOR_SYSTEM,
      messages,
      tools: [],
      maxTokens: options.maxTokens ?? 4096,
    };
    const digest = createHash("sha256").update(JSON.stringify(request)).digest("hex");
    for (let attempt = 1; ; attempt++) {
      const started = now();
      try {
        const response = await options.provider.complete(request, signal);
        const cost = costOf(response.usage, options.price);
        await record("model_call", {
          provider: options.provider.name,
          model: response.model,
          step,
          attempt,
          promptDigest: digest,
          inputTokens: response.usage.inputTokens,
          outputTokens: response.usage.outputTokens,
          costUsd: cost,
          ...(options.price ? {} : { unpriced: true }),
          ms: now() - started,
          stopReason: response.stopReason,
        });
        return response;
      } catch (error) {
        if (signal.aborted)
          throw new WorkError("evaluation-aborted", "the evaluation was cancelled");
        const failure = asProviderError(error);
        const last = !failure.retryable || attempt >= attempts;
        const delayMs = retryDelayMs(failure, attempt, backoff);
        await record("model_error", {
          provider: options.provider.name,
          model: options.model,
          attempt,
          kind: failure.kind,
          ...(failure.status ? { status: failure.status } : {}),
          message: failure.message,
          ...(last ? {} : { retryInMs: delayMs }),
        });
        if (last)
          throw new WorkError(
            "evaluator-provider-failed",
            `the ${options.provider.name} provider failed the evaluator ${attempt} time(s); last: ${failure.kind}: ${failure.message}`,
            { isRetryable: failure.retryable, cause: error },
          );
        await sleep(delayMs, signal);
      }
    }
  }
}

/**
 * The verdict in a model's answer: the JSON object it was asked for, tolerating a code fence
 * or a sentence around it, validated against the schema.
 */
export function parseEvaluation(
  text: string,
): { ok: true; value: Evaluation } | { ok: false; problem: string } {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end < start) return { ok: false, problem: "it holds no JSON object" };
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch (error) {
    return { ok: false, problem: `it is not valid JSON (${(error as Error).message})` };
  }
  const parsed = evaluationSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join(".") : "(the object)"}: ${issue.message}`,
  );
  return { ok: false, problem: `it does not match the schema: ${issues.join("; ")}` };
}

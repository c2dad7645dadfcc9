/**
 * The evaluator's contract (DESIGN §4): it judges a bolt's work from a fresh context (the
 * intent, the diff and what was measured), never the builder's conversation, because the
 * generator is never the judge. Its verdict is one input to routing and gates, not the last word.
 */
import { z } from "zod";
import type { IntentBrief } from "./contract.js";

/**
 * Scenario results as the evaluator may see them: per requirement, satisfaction and the kinds
 * of failure, never a scenario's id, steps, inputs or expected values. Structurally the
 * scenarios capability's `SatisfactionSummary`; parsing with this schema strips anything else.
 */
export const evaluationSatisfactionSchema = z.object({
  satisfaction: z.number(),
  threshold: z.number(),
  passed: z.boolean(),
  requirements: z.array(
    z.object({
      id: z.string(),
      satisfaction: z.number(),
      failures: z.array(
        z.object({ kind: z.string(), field: z.string().optional(), count: z.number() }),
      ),
    }),
  ),
});
export type EvaluationSatisfaction = z.infer<typeof evaluationSatisfactionSchema>;

/** Everything the evaluator knows: nothing of the builder's context is in here. */
export interface EvaluationRequest {
  boltId: string;
  intent: IntentBrief;
  /** The integration branch against main, redacted and cut to a size bound (a note says so). */
  diff: string;
  /** The product's own tests on the integration branch, when they ran. */
  tests?: {
    command: string;
    exitCode: number | null;
    timedOut?: boolean;
    tests?: number;
    passed?: number;
    failed?: number;
  };
  /** Absent: no scenarios ran. */
  satisfaction?: EvaluationSatisfaction;
  /** 1 for the first evaluation of this bolt; one more each time the bolt comes back. */
  attempt: number;
  /**
   * Set when the evaluator judges one observed scenario trajectory against the scenario's
   * rubric rather than a change: what the product answered at each step, as text.
   */
  trajectory?: { rubric: string; observed: string };
}

export const findingSchema = z.strictObject({
  /** A requirement id of the intent (or a short name for a concern outside them). */
  requirement: z.string().min(1),
  verdict: z.enum(["met", "not_met", "unclear"]),
  reason: z.string().min(1),
});
export type Finding = z.infer<typeof findingSchema>;

export const evaluationSchema = z
  .strictObject({
    verdict: z.enum(["approve", "request_changes"]),
    findings: z.array(findingSchema).default([]),
    summary: z.string().min(1),
  })
  .refine(
    (evaluation) =>
      evaluation.verdict !== "approve" || evaluation.findings.every((f) => f.verdict !== "not_met"),
    { message: "an approval cannot have a finding that is not_met", path: ["verdict"] },
  );
export type Evaluation = z.infer<typeof evaluationSchema>;

/** Judges one bolt's work. Throws a `FactoryError` when it cannot give a usable verdict. */
export interface AgentEvaluator {
  readonly name: string;
  evaluate(request: EvaluationRequest, signal: AbortSignal): Promise<Evaluation>;
}

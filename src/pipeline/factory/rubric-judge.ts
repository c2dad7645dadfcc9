/**
 * The evaluator as the scenarios' rubric judge: a satisfied trajectory of a scenario with a
 * `rubric` is also judged, from a fresh context, on what the product was observed to answer.
 * Its verdict and reasons are kept with the trajectory (never shown to the builders).
 */
import type { Home } from "../../home/index.js";
import type { RubricJudge } from "../../scenarios/index.js";
import { evaluatorFor } from "./drivers.js";

/** How much of the observed trajectory the evaluator reads. */
const OBSERVED_CHARS = 20_000;

/** The judge, or undefined when factory.yaml names no evaluator (rubrics are then not judged). */
export function rubricJudgeFor(
  home: Home,
  options: { env: NodeJS.ProcessEnv; boltId: string; signal?: AbortSignal },
): RubricJudge | undefined {
  if (!home.config.agents.evaluator) return undefined;
  const evaluator = evaluatorFor(home, { env: options.env });
  return async (scenario, steps) => {
    const observed = JSON.stringify(
      steps.map((s) => ({ step: s.name, kind: s.kind, ok: s.ok, observed: s.observation })),
      null,
      2,
    );
    const evaluation = await evaluator.evaluate(
      {
        boltId: options.boltId,
        intent: {
          id: scenario.id,
          title: scenario.title,
          goal: scenario.rubric ?? "",
          requirements: scenario.requirements.map((id) => ({ id, statement: id })),
        },
        diff: "",
        attempt: 1,
        trajectory: {
          rubric: scenario.rubric ?? "",
          observed: home.redactor.redactText(observed).slice(0, OBSERVED_CHARS),
        },
      },
      options.signal ?? new AbortController().signal,
    );
    const reasons = [
      evaluation.summary,
      ...evaluation.findings.map((f) => `${f.requirement} ${f.verdict}: ${f.reason}`),
    ].join(" ");
    return {
      verdict: evaluation.verdict === "approve" ? "satisfied" : "unsatisfied",
      reasons,
    };
  };
}

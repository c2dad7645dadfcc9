/** Satisfaction: satisfied trajectories over all, per scenario and per requirement (DESIGN §6). */
import type {
  FailureKind,
  SatisfactionReport,
  SatisfactionSummary,
  ScenarioResult,
  Trajectory,
} from "./report.js";
import type { Scenario } from "./scenario-schema.js";

export const DEFAULT_THRESHOLD = 0.95;

export function scoreSatisfaction(
  scenarios: readonly Scenario[],
  trajectories: readonly Trajectory[],
  threshold: number,
  problems: SatisfactionReport["problems"] = [],
): SatisfactionReport {
  const byScenario = new Map<string, Trajectory[]>();
  for (const t of trajectories)
    byScenario.set(t.scenario, [...(byScenario.get(t.scenario) ?? []), t]);
  const results: ScenarioResult[] = scenarios.map((scenario) => {
    const own = byScenario.get(scenario.id) ?? [];
    return {
      id: scenario.id,
      title: scenario.title,
      requirements: scenario.requirements,
      must_pass: scenario.must_pass,
      satisfaction: ratio(own),
      trajectories: own.length,
      failures: own
        .filter((t) => t.verdict === "unsatisfied")
        .map((t) => ({
          index: t.index,
          seed: t.seed,
          faults: t.faults,
          step: t.failure?.step ?? -1,
          kind: t.failure?.kind ?? "rubric",
          message: t.failure?.message ?? t.rubric?.reasons ?? "",
          ...(t.failure?.field ? { field: t.failure.field } : {}),
          ...evidenceOf(t),
        })),
    };
  });
  const requirementIds = [...new Set(scenarios.flatMap((s) => s.requirements))].sort();
  const requirements = requirementIds.map((id) => {
    const own = scenarios
      .filter((s) => s.requirements.includes(id))
      .flatMap((s) => byScenario.get(s.id) ?? []);
    return { id, satisfaction: ratio(own), trajectories: own.length };
  });
  const mustPassFailed = results
    .filter((r) => r.must_pass && r.failures.length > 0)
    .map((r) => r.id);
  const satisfaction = ratio(trajectories);
  return {
    satisfaction,
    trajectories: trajectories.length,
    threshold,
    passed:
      trajectories.length > 0 &&
      satisfaction >= threshold &&
      mustPassFailed.length === 0 &&
      problems.length === 0,
    must_pass_failed: mustPassFailed,
    scenarios: results,
    requirements,
    problems,
  };
}

function evidenceOf(t: Trajectory): { evidence?: unknown } {
  const failed = t.steps.find((s) => !s.ok);
  return failed?.observation !== undefined ? { evidence: failed.observation } : {};
}

function ratio(trajectories: readonly Trajectory[]): number {
  if (trajectories.length === 0) return 0;
  const satisfied = trajectories.filter((t) => t.verdict === "satisfied").length;
  return Math.round((satisfied / trajectories.length) * 10_000) / 10_000;
}

/**
 * What the builders and the evaluator are told: per requirement, satisfaction and the kinds
 * of failure with the names of fields, counted. Nothing of a scenario (its id, title, steps,
 * inputs, expected values) nor of what the product answered, which may echo the inputs.
 */
export function summarizeForBuilders(report: SatisfactionReport): SatisfactionSummary {
  const kinds = new Map<
    string,
    Map<string, { kind: FailureKind; field?: string; count: number }>
  >();
  for (const scenario of report.scenarios)
    for (const failure of scenario.failures)
      for (const requirement of scenario.requirements) {
        const own = kinds.get(requirement) ?? new Map();
        kinds.set(requirement, own);
        const field = failure.kind === "missing_field" ? failure.field : undefined;
        const key = `${failure.kind}/${field ?? ""}`;
        const seen = own.get(key) ?? { kind: failure.kind, ...(field ? { field } : {}), count: 0 };
        seen.count++;
        own.set(key, seen);
      }
  return {
    satisfaction: report.satisfaction,
    threshold: report.threshold,
    passed: report.passed,
    requirements: report.requirements.map((r) => ({
      id: r.id,
      satisfaction: r.satisfaction,
      failures: [...(kinds.get(r.id)?.values() ?? [])],
    })),
  };
}

const KIND_WORDS: Record<FailureKind, string> = {
  unexpected_status: "the product answered with an unexpected HTTP status",
  missing_field: "an answer lacked a field",
  wrong_value: "a field, header or output held a wrong value",
  wrong_twin_state: "an external service (a twin) was left in the wrong state",
  unexpected_exit: "a command exited with an unexpected code",
  browser: "a page did not behave as a user needs",
  timeout: "something the user waits for never happened in time",
  product_not_ready: "the product did not start or never became ready",
  product_unreachable: "the product dropped or refused connections",
  rubric: "the evaluator judged the observed behaviour unsatisfying",
  scenario_error: "a scenario could not run to its end",
};

/** The feedback a builder gets from unsatisfied scenarios: requirement id and text, failure kinds. */
export function describeForBuilders(
  summary: SatisfactionSummary,
  statements: ReadonlyMap<string, string>,
): string {
  const lines = [
    `Holdout scenarios were satisfied in ${percent(summary.satisfaction)} of trajectories; the bolt needs ${percent(summary.threshold)}${summary.passed ? "" : " and every must-pass scenario"}.`,
  ];
  for (const requirement of summary.requirements) {
    if (requirement.failures.length === 0) continue;
    const statement = statements.get(requirement.id);
    lines.push(
      `- ${requirement.id} (satisfied in ${percent(requirement.satisfaction)})${statement ? `: ${statement.trim()}` : ""}`,
    );
    for (const failure of requirement.failures)
      lines.push(
        `  - ${KIND_WORDS[failure.kind]}${failure.field ? ` (missing: ${failure.field})` : ""}, ${failure.count} time${failure.count === 1 ? "" : "s"}`,
      );
  }
  return lines.join("\n");
}

const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;

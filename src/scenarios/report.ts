/**
 * What a scenario run found: every trajectory with its evidence, and satisfaction per scenario
 * and per requirement (DESIGN §6). The full report stays with the factory; builders and the
 * evaluator see only its sanitized summary (see summarizeForBuilders).
 */

/** Why a trajectory failed, in words that carry no scenario text. */
export type FailureKind =
  /** The product answered with another HTTP status. */
  | "unexpected_status"
  /** A field the answer should have had is missing. */
  | "missing_field"
  /** A field, header or output held another value. */
  | "wrong_value"
  /** A twin's state was not what the user's trajectory should have left. */
  | "wrong_twin_state"
  /** A command exited with another code. */
  | "unexpected_exit"
  /** A page did not show what it should, or an element was missing. */
  | "browser"
  /** A wait's condition never held, or a step passed its time limit. */
  | "timeout"
  /** The product did not start, or never answered its readiness check. */
  | "product_not_ready"
  /** The product could not be reached mid-trajectory (a refused or reset connection). */
  | "product_unreachable"
  /** The evaluator judged the observed outputs against the rubric and found them wanting. */
  | "rubric"
  /** The scenario itself could not run (a variable never captured, an unknown twin). */
  | "scenario_error";

export interface StepRecord {
  index: number;
  name: string;
  kind: "http" | "cli" | "browser" | "twin" | "wait";
  ms: number;
  ok: boolean;
  /** What was seen: the status and body of an answer, a command's output, a twin's state. */
  observation?: unknown;
  failure?: { kind: FailureKind; message: string; field?: string };
}

export interface Trajectory {
  scenario: string;
  /** 0-based, per scenario. */
  index: number;
  seed: string;
  /** The fault profile it ran under (`none`, or the profile's file). */
  faults: string;
  verdict: "satisfied" | "unsatisfied";
  ms: number;
  steps: StepRecord[];
  /** The first failed step's failure (or the product's, before any step). */
  failure?: { step: number; kind: FailureKind; message: string; field?: string };
  /** The evaluator's judgement against the rubric, where the scenario has one. */
  rubric?: { verdict: "satisfied" | "unsatisfied"; reasons: string };
}

export interface ScenarioResult {
  id: string;
  title: string;
  requirements: string[];
  must_pass: boolean;
  satisfaction: number;
  trajectories: number;
  failures: {
    index: number;
    seed: string;
    faults: string;
    step: number;
    kind: FailureKind;
    message: string;
    field?: string;
    /** What the failed step saw: the answer's status and body, a twin's state, output. */
    evidence?: unknown;
  }[];
}

export interface SatisfactionReport {
  /** Satisfied trajectories over all trajectories; 0 when none ran. */
  satisfaction: number;
  trajectories: number;
  threshold: number;
  /** At or above the threshold, and no `must_pass` scenario failed a trajectory. */
  passed: boolean;
  /** `must_pass` scenarios that failed at least one trajectory. */
  must_pass_failed: string[];
  scenarios: ScenarioResult[];
  requirements: { id: string; satisfaction: number; trajectories: number }[];
  /** Scenario files that could not be read or run at all, with why; the others still ran. */
  problems: { file: string; message: string }[];
}

/**
 * What builders and the evaluator may see of a report: per requirement, its satisfaction and
 * the kinds of failure, plus the names of missing fields. Never a scenario's id, file, steps,
 * inputs, expected values or the product's output.
 */
export interface SatisfactionSummary {
  satisfaction: number;
  threshold: number;
  passed: boolean;
  requirements: {
    id: string;
    satisfaction: number;
    /** Distinct kinds of failure seen for it, with the field named where one was missing. */
    failures: { kind: FailureKind; field?: string; count: number }[];
  }[];
}

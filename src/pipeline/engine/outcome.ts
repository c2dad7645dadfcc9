/** What a node's handler returns (§5.2). Outcomes are data: a failed stage is a value, never an exception. */
export const stageStatuses = ["success", "partial_success", "retry", "fail", "skipped"] as const;
export type StageStatus = (typeof stageStatuses)[number];

export interface Outcome {
  status: StageStatus;
  preferred_label?: string;
  suggested_next_ids?: string[];
  context_updates?: Record<string, unknown>;
  notes?: string;
  failure_reason?: string;
  /**
   * Our extension: continue at this node, whatever the edges say. The parallel handler uses it
   * to go on at the fan-in its branches reached, which has no edge from the fan-out (§4.8 is silent).
   */
  jump_to?: string;
}

/** The status file of Appendix C (which names the status `outcome`, where §5.2 says `status`). */
export function statusFile(outcome: Outcome): Record<string, unknown> {
  return {
    outcome: outcome.status,
    preferred_label: outcome.preferred_label ?? "",
    suggested_next_ids: outcome.suggested_next_ids ?? [],
    context_updates: outcome.context_updates ?? {},
    notes: outcome.notes ?? "",
    ...(outcome.failure_reason ? { failure_reason: outcome.failure_reason } : {}),
    ...(outcome.jump_to ? { jump_to: outcome.jump_to } : {}),
  };
}

/** A question for a person; the engine parks the bolt until it is answered (exit 3). */
export interface Waiting {
  waiting: true;
  question: Question;
}

export type HandlerResult = Outcome | Waiting;

export function isWaiting(result: HandlerResult): result is Waiting {
  return (result as Waiting).waiting === true;
}

export function isSuccessful(status: StageStatus | undefined): boolean {
  return status === "success" || status === "partial_success";
}

/** §6.2. */
export interface Question {
  text: string;
  type: "yes_no" | "multiple_choice" | "freeform" | "confirmation";
  options: { key: string; label: string }[];
  stage: string;
  default?: Answer;
  timeout_seconds?: number;
}

/** §6.3; `value` is an option key, "yes"/"no", or one of the special values. */
export interface Answer {
  value: string;
  text?: string;
  answered_by?: string;
}

export const SKIPPED = "skipped";
export const TIMEOUT = "timeout";

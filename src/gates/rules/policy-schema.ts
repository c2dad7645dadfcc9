/**
 * The shape of a policy file (`policies/*.yaml`) and of what the rules engine gives back.
 */
import { z } from "zod";

export const ruleDecisions = ["deny", "require_approval", "allow"] as const;
export type RuleDecision = (typeof ruleDecisions)[number];

export const policyRuleSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a rule id is kebab-case: lower-case words joined by -"),
  description: z.string().optional(),
  /** A CEL expression over the facts; the rule fires when it is true. */
  when: z.string().trim().min(1),
  decision: z.enum(ruleDecisions),
  /** What the gate says when the rule fires. */
  message: z.string().trim().min(1),
  /** A CEL expression yielding a list, shown under the result when the rule fires. */
  evidence: z.string().trim().min(1).optional(),
});
export type PolicyRule = z.infer<typeof policyRuleSchema>;

export const policyFileSchema = z.strictObject({
  version: z.literal(1),
  rules: z.array(policyRuleSchema).default([]),
});
export type PolicyFile = z.infer<typeof policyFileSchema>;

/** A rule that parsed and type-checked, with where it came from. */
export interface LoadedRule {
  id: string;
  /** The policy file, as given to `loadPolicies`. */
  file: string;
  /** Where the rule starts in its file, 1-based. */
  line: number;
  description: string;
  when: string;
  decision: RuleDecision;
  message: string;
  /** "" when the rule has no evidence expression. */
  evidence: string;
}

/** A problem in a policy file, located at the place a person wrote it. */
export interface PolicyIssue {
  file: string;
  /** The id of the rule the problem is in, when it is in one. */
  rule?: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
  hint?: string;
}

export type PolicyLoad =
  | { ok: true; policies: LoadedRule[] }
  | { ok: false; issues: PolicyIssue[] };

export type GateVerdict = "allow" | "deny" | "require_approval";

export interface RuleResult {
  id: string;
  file: string;
  /** `allow` for a rule that did not fire; `deny` for one that could not be evaluated. */
  decision: GateVerdict;
  fired: boolean;
  /** The rule's message when it fired; "" when it did not. */
  message: string;
  /** At most 50 lines naming files, lines and packages; [] when the rule did not fire. */
  evidence: string[];
  /** Why the rule could not be evaluated; such a rule denies. */
  error?: string;
}

export interface GateDecision {
  decision: GateVerdict;
  rules: RuleResult[];
}

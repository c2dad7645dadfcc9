/**
 * The front matter of an intent file (DESIGN §3). The schema states the shape; the
 * linter's rules add what a schema says badly (ranges with a hint, ids, ambiguity).
 */
import { z } from "zod";
import { DAY_MS, parseDuration } from "../common/index.js";

export const SUPPORTED_VERSIONS = [1] as const;
export const RISK_LEVELS = ["low", "medium", "high"] as const;
export const ROLLOUT_STRATEGIES = ["all-at-once", "canary", "feature-flag", "blue-green"] as const;
export const MAX_USD = 100_000;
export const MAX_TOKENS = 1_000_000_000;
export const MAX_WALL_TIME_MS = 7 * DAY_MS;

const itemId = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, "expected an id like REQ-1");
const text = z.string().trim().min(1, "must not be empty");
const duration = z
  .string()
  .refine((value) => parseDuration(value) !== undefined, "expected a duration like 90s, 30m, 2h");

const statementSchema = z.strictObject({ id: itemId, statement: text });

const acceptanceSchema = z.strictObject({
  id: itemId,
  covers: z.array(itemId).min(1, "must cover at least one requirement"),
  criterion: text,
});

const rolloutSchema = z.strictObject({
  strategy: z.enum(ROLLOUT_STRATEGIES),
  stages: z
    .array(
      z.strictObject({
        name: text,
        percent: z.number().min(0).max(100),
        hold: duration.optional(),
      }),
    )
    .optional(),
  metrics: z.array(text).optional(),
});

const rollbackSchema = z.strictObject({
  conditions: z.array(text).min(1, "name at least one condition"),
  action: text.optional(),
});

const budgetSchema = z.strictObject({
  usd: z.number().positive().max(MAX_USD).optional(),
  tokens: z.int().positive().max(MAX_TOKENS).optional(),
  wall_time: duration
    .refine((value) => (parseDuration(value) ?? 0) <= MAX_WALL_TIME_MS, "at most 7d")
    .optional(),
});

export const intentSchema = z.strictObject({
  version: z.literal(SUPPORTED_VERSIONS),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a slug like refund-api"),
  title: text,
  goal: text,
  requirements: z.array(statementSchema).min(1, "list at least one requirement"),
  constraints: z.array(statementSchema).default([]),
  edge_cases: z.array(statementSchema).default([]),
  security: z.array(statementSchema).default([]),
  acceptance: z.array(acceptanceSchema).min(1, "list at least one acceptance criterion"),
  rollout: rolloutSchema.optional(),
  rollback: rollbackSchema.optional(),
  budget: budgetSchema.optional(),
  risk: z.enum(RISK_LEVELS).default("medium"),
  /** The holdout scenarios' satisfaction this intent needs; factory.yaml's threshold otherwise. */
  satisfaction: z.number().min(0).max(1).optional(),
});

/** The front matter exactly as the schema accepts it. */
export type IntentFrontMatter = z.infer<typeof intentSchema>;

/** An intent ready for a bolt: the front matter, normalised, with the Markdown body. */
export interface Intent extends Omit<IntentFrontMatter, "budget"> {
  budget?: NonNullable<IntentFrontMatter["budget"]> & { wall_time_ms?: number };
  /** The Markdown after the front matter: context for agents. */
  body: string;
}

/** The script driver's file: per task, the actions an agent takes, optionally per attempt. */
import { z } from "zod";
import { evaluationSchema } from "../evaluator.js";

// One object with one key, rather than a union, so a misspelt action gets "did you mean".
export const scriptActionSchema = z
  .strictObject({
    write: z.strictObject({ path: z.string().min(1), content: z.string() }).optional(),
    edit: z
      .strictObject({
        path: z.string().min(1),
        old: z.string().min(1),
        new: z.string(),
        all: z.boolean().optional(),
      })
      .optional(),
    read: z.strictObject({ path: z.string().min(1) }).optional(),
    run: z
      .strictObject({
        command: z.string().min(1),
        timeout_ms: z.number().int().positive().optional(),
      })
      .optional(),
    finish: z.strictObject({ summary: z.string() }).optional(),
  })
  .refine(
    (action) => Object.keys(action).length === 1,
    "an action is exactly one of write, edit, read, run, finish",
  );
export type ScriptAction = z.infer<typeof scriptActionSchema>;

const actions = z.array(scriptActionSchema).min(1);

const taskId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "a task id: lowercase letters, digits and -");

/** One task of a plan: what the planner hands the builders. */
export const plannedTaskSchema = z.strictObject({
  id: taskId,
  title: z.string().min(1),
  instructions: z.string().min(1),
  /** Requirement ids of the intent this task serves. */
  covers: z.array(z.string()).default([]),
});
export type PlannedTask = z.infer<typeof plannedTaskSchema>;

export const agentScriptSchema = z.strictObject({
  version: z.literal(1),
  /** The planner's answer: tasks in the order their branches merge. */
  plan: z.array(plannedTaskSchema).min(1).optional(),
  /** The evaluator's verdicts: attempt n uses entry n-1; attempts past the list repeat the last. */
  evaluation: z.array(evaluationSchema).min(1).optional(),
  tasks: z
    .record(
      taskId,
      z
        .strictObject({
          actions: actions.optional(),
          // Attempt n uses entry n-1; attempts past the list repeat the last entry.
          attempts: z.array(z.strictObject({ actions })).min(1).optional(),
        })
        .refine(
          (task) => (task.actions === undefined) !== (task.attempts === undefined),
          "give a task either actions or attempts",
        ),
    )
    .default({}),
});
export type AgentScript = z.infer<typeof agentScriptSchema>;

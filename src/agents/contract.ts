/**
 * The contract every agent driver implements (DESIGN §4): `llm` (our tool loop), `cli`
 * (external coding agents) and `script` (deterministic actions, for tests and the offline
 * demo). A driver acts only through the tools it is given, which are confined to one worktree;
 * what it says about its own success proves nothing; tests, scenarios and gates decide.
 */
import type { FileTools, Sandbox, SandboxResult } from "../workspace/index.js";
import type { PlannedTask } from "./script/script-schema.js";

export const agentRoles = ["planner", "builder", "evaluator", "redteam"] as const;
export type AgentRole = (typeof agentRoles)[number];

/** One task for one agent, in a fresh context: everything it knows is in here. */
export interface AgentTask {
  boltId: string;
  taskId: string;
  role: AgentRole;
  /** What to do, in words (the task's part of the plan). */
  instructions: string;
  /** 1 for the first try; a retry after a failed test or a merge conflict is 2, 3, ... */
  attempt: number;
  /** Why the previous attempt was sent back (a failing test, a conflict), when it was. */
  feedback?: string;
  /** The intent the task serves, as text: its goal, requirements and constraints. */
  intent?: string;
}

/** The tools a driver may use: confined file tools and the sandbox, both bound to one worktree. */
export interface AgentTools {
  files: FileTools;
  /** Runs a command in the sandbox, in the worktree. */
  run(command: string, options?: { timeoutMs?: number }): Promise<SandboxResult>;
  /**
   * Records what the driver did beyond its tools (a model call: prompt digest, tokens, cost) in
   * the bolt's audit log, as it happens.
   */
  record?(action: string, data: Record<string, unknown>): Promise<void>;
}

/** One thing the agent did, kept whole for the journal and `factory logs`. */
export type AgentAction =
  | {
      kind: "read" | "list" | "search" | "write" | "edit";
      path: string;
      ok: boolean;
      detail: string;
    }
  | { kind: "run"; command: string; exitCode: number | null; timedOut: boolean; output: string }
  | { kind: "finish"; summary: string };

/** Why an agent stopped without finishing. */
export type StopReason =
  /** A budget (steps, tokens, USD, wall time) ran out. */
  | "budget"
  /** It kept repeating the same tool call after being steered away from it. */
  | "loop"
  /** The model provider kept failing after retries. */
  | "provider"
  /** It ended without saying it was done (no finish call, no final success event). */
  | "no_finish"
  /** It reported an error, or its own success could not be confirmed. */
  | "error"
  | "timeout"
  | "aborted";

/** What an agent's work cost. */
export interface AgentUsage {
  steps: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Models without a price cost 0 and are named here, so a report never claims a false 0. */
  unpriced?: string[];
}

export interface AgentReport {
  /** `finished`: the agent says it is done (unverified); `gave_up`: it stopped without finishing. */
  status: "finished" | "gave_up";
  summary: string;
  actions: AgentAction[];
  /** Set when it gave up. */
  reason?: StopReason;
  usage?: AgentUsage;
}

export interface AgentDriver {
  readonly name: string;
  doTask(task: AgentTask, tools: AgentTools, signal: AbortSignal): Promise<AgentReport>;
}

/** The intent as a planner or evaluator reads it: its goal and requirements, nothing else. */
export interface IntentBrief {
  id: string;
  title: string;
  goal: string;
  requirements: { id: string; statement: string }[];
}

/** What a planner is given: the intent, in a fresh context. */
export interface PlanRequest {
  boltId: string;
  intent: IntentBrief;
}

/** Turns an intent into tasks, in the order their branches merge onto the integration branch. */
export interface AgentPlanner {
  readonly name: string;
  plan(request: PlanRequest, signal: AbortSignal): Promise<PlannedTask[]>;
}

/** Binds a sandbox to a worktree as the `run` tool. */
export function sandboxRunner(sandbox: Sandbox, worktree: string): AgentTools["run"] {
  return (command, options = {}) =>
    sandbox.run({
      command,
      worktree,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
}

/**
 * One agent working on one task attempt: its tools, bound to the task's worktree, with every
 * call recorded in the audit log as it happens (a kill mid-task still leaves the trail), and
 * its report kept beside the bolt's other artifacts.
 */
import type { AgentDriver, AgentReport, AgentRole, AgentTools } from "../../agents/index.js";
import {
  createFileTools,
  type FileTools,
  grantWorktreeAccess,
  type ToolResult,
} from "../../workspace/index.js";
import { FAILURE_LINE, type FactoryDeps, nodeSubject, writeArtifact } from "./factory-deps.js";

/** Output kept in an audit entry; the whole output is in the report file. */
const AUDITED_OUTPUT = 2_000;
const COMMAND_TIMEOUT_MS = 5 * 60_000;

export interface AgentSessionInput {
  deps: FactoryDeps;
  driver: AgentDriver;
  role: AgentRole;
  boltId: string;
  nodeId: string;
  taskId: string;
  instructions: string;
  intent?: string;
  attempt: number;
  feedback?: string;
  worktree: string;
  stageDir: string;
  signal: AbortSignal;
}

export async function runAgentSession(input: AgentSessionInput): Promise<AgentReport> {
  const { deps, boltId, nodeId, taskId, attempt } = input;
  const actor = `agent:${input.role}`;
  const subject = nodeSubject(boltId, nodeId);
  const record = (action: string, data: Record<string, unknown>) =>
    deps.home.audit.append(actor, `agent.${action}`, subject, { task: taskId, attempt, ...data });

  const files = createFileTools({ worktree: input.worktree });
  const tools: AgentTools = {
    files: auditedFiles(files, record),
    async run(command, options = {}) {
      // Files the agent's file tools wrote are the orchestrator's; hand them to the sandbox user.
      await grantWorktreeAccess(input.worktree);
      const result = await (await deps.sandbox()).run({
        command,
        worktree: input.worktree,
        timeoutMs: options.timeoutMs ?? COMMAND_TIMEOUT_MS,
        signal: input.signal,
      });
      await record("run", {
        command,
        exitCode: result.exitCode,
        signal: result.signal,
        timedOut: result.timedOut,
        ms: result.ms,
        // Redacted before it is cut: a secret cut in half would no longer be recognised.
        output: keptOutput(deps.home.redactor.redactText(`${result.stdout}${result.stderr}`)),
      });
      return result;
    },
    async record(action, data) {
      await record(action, data);
    },
  };

  const report = await input.driver.doTask(
    {
      boltId,
      taskId,
      role: input.role,
      instructions: input.instructions,
      ...(input.intent ? { intent: input.intent } : {}),
      attempt,
      ...(input.feedback ? { feedback: input.feedback } : {}),
    },
    tools,
    input.signal,
  );
  await record(report.status === "finished" ? "finish" : "give_up", {
    summary: report.summary,
    ...(report.reason ? { reason: report.reason } : {}),
    ...(report.usage ? { usage: report.usage } : {}),
  });
  writeArtifact(
    input.stageDir,
    `${taskId}.attempt-${attempt}.json`,
    `${JSON.stringify(deps.home.redactor.redact(report), null, 2)}\n`,
  );
  return report;
}

/**
 * What of a long output goes into the audit entry: the lines that say what failed (a test
 * runner's `not ok`, an error) wherever they are, then the end.
 */
export function keptOutput(output: string): string {
  if (output.length <= AUDITED_OUTPUT) return output;
  const failures = output
    .split("\n")
    .filter((line) => FAILURE_LINE.test(line))
    .join("\n")
    .slice(0, AUDITED_OUTPUT / 4);
  const tail = output.slice(-(AUDITED_OUTPUT - failures.length - 8));
  return failures ? `${failures}\n[…]\n${tail}` : `[…]${tail}`;
}

type Recorder = (action: string, data: Record<string, unknown>) => Promise<unknown>;

/** Each call audited with its path and whether it was allowed; a refusal says why. */
function auditedFiles(files: FileTools, record: Recorder): FileTools {
  async function note<T>(
    tool: string,
    path: string,
    result: ToolResult<T>,
    detail: (value: T) => Record<string, unknown>,
  ): Promise<ToolResult<T>> {
    await record(
      result.ok ? tool : "refused",
      result.ok
        ? { path, ...detail(result.value) }
        : { tool, path, reason: result.error.reason, message: result.error.message },
    );
    return result;
  }
  return {
    worktree: files.worktree,
    read: async (path, options) =>
      note("read", path, await files.read(path, options), (v) => ({ lines: v.lines })),
    list: async (path = ".", options) =>
      note("list", path, await files.list(path, options), (v) => ({ entries: v.entries.length })),
    search: async (pattern, options) =>
      note("search", options?.path ?? ".", await files.search(pattern, options), (v) => ({
        pattern,
        matches: v.matches.length,
      })),
    write: async (path, content) =>
      note("write", path, await files.write(path, content), (v) => ({ bytes: v.bytes })),
    edit: async (path, options) =>
      note("edit", path, await files.edit(path, options), (v) => ({
        replacements: v.replacements,
      })),
  };
}

/**
 * `factory.build`: each task of the plan in its own worktree, by the builder agent; the
 * orchestrator (never the agent) commits the result with trailers naming the bolt, task and
 * attempt, and merges the task onto the integration branch, in plan order. A task whose
 * merge conflicts goes back to its builder with the conflict as feedback, on a branch reset
 * to the integration branch. On a later visit (the tests failed) every task gets the failure
 * as feedback and builds on its own last commit.
 *
 * Resuming after a kill runs this node again with the same context: each step first looks
 * for what it would make (the worktree, a commit or merge with its trailers) and skips it.
 */
import type { AgentReport, PlannedTask } from "../../agents/index.js";
import type { AgentConfig } from "../../home/index.js";
import type { Handler, HandlerInput } from "../engine/handler.js";
import type { Outcome } from "../engine/outcome.js";
import { attrInt } from "../graph.js";
import { runAgentSession } from "./agent-session.js";
import { type BoltWorkspace, boltWorkspace } from "./bolt-workspace.js";
import { boltSpendOf, driverFor } from "./drivers.js";
import { ctx, type FactoryDeps, nodeSubject } from "./factory-deps.js";

const DEFAULT_TASK_ATTEMPTS = 3;

export interface BuiltTask {
  id: string;
  attempt: number;
  /** The task's last commit, or null when no attempt changed anything. */
  commit: string | null;
  files: string[];
  summary: string;
}

export function createBuildHandler(deps: FactoryDeps): Handler {
  return {
    sideEffect: true,
    async execute(input) {
      const tasks = input.context.get(ctx.tasks) as PlannedTask[] | undefined;
      if (!tasks?.length)
        return { status: "fail", failure_reason: "factory.build needs a plan (factory.plan)" };
      const ws = boltWorkspace(deps.home, input.boltId, deps.env, deps.onProgress);
      const integration = await ws.ensureIntegration();
      if (integration.created) deps.checkpointHook?.("effect:worktree:integration");
      // Whatever a killed run or a test left in it would stop the merges.
      await ws.clean(integration.path);

      const attempts = { ...((input.context.get(ctx.attempts) as Record<string, number>) ?? {}) };
      const feedback = input.context.get(ctx.feedback);
      const built: BuiltTask[] = [];
      for (const task of tasks) {
        const result = await buildTask(deps, ws, input, task, {
          first: (attempts[task.id] ?? 0) + 1,
          ...(typeof feedback === "string" && feedback ? { feedback } : {}),
        });
        if ("status" in result) return result;
        attempts[task.id] = result.attempt;
        built.push(result);
      }
      const head = await ws.git.revParse(ws.integrationBranch);
      return {
        status: "success",
        notes: built
          .map((t) => `${t.id}: attempt ${t.attempt}, ${t.files.length} files changed`)
          .join("; "),
        context_updates: {
          [ctx.attempts]: attempts,
          [ctx.built]: built,
          [ctx.integrationHead]: head,
          [ctx.feedback]: "",
        },
      };
    },
  };
}

async function buildTask(
  deps: FactoryDeps,
  ws: BoltWorkspace,
  input: HandlerInput,
  task: PlannedTask,
  start: { first: number; feedback?: string },
): Promise<BuiltTask | Outcome> {
  const { boltId, node, signal } = input;
  const limit = attrInt(node.attrs, "max_task_attempts") ?? DEFAULT_TASK_ATTEMPTS;
  const chosen = input.context.get("factory.agents.builder") as AgentConfig | undefined;
  const driver = driverFor(deps.home, "builder", {
    env: deps.env,
    boltSpend: await boltSpendOf(deps.home, boltId),
    sandbox: deps.sandbox,
    ...(chosen ? { config: chosen } : {}),
  });
  let feedback = start.feedback;
  let attempt = start.first;
  for (let tries = 1; ; tries++) {
    const worktree = await ws.ensureTask(task.id);
    if (worktree.created) deps.checkpointHook?.(`effect:worktree:${task.id}`);
    // Not only when made: a kill between making the worktree and installing left it without.
    if (!ws.installed(worktree.path)) await ws.install(worktree.path, await deps.sandbox(), signal);
    const branch = ws.taskBranch(task.id);
    // A commit of this or a later attempt means a previous run got this far.
    const done = await ws.git.findCommitTrailers(branch, { Bolt: boltId, Task: task.id });
    const doneAttempt = Number(done?.trailers.Attempt ?? 0);
    let summary = "";
    if (doneAttempt >= attempt) {
      attempt = doneAttempt;
      summary = "(committed before a resume)";
    } else {
      await ws.clean(worktree.path);
      deps.onProgress?.(`    ⚒ ${task.id} attempt ${attempt}: builder at work`);
      const report = await runAgentSession({
        deps,
        driver,
        role: "builder",
        boltId,
        nodeId: node.id,
        taskId: task.id,
        instructions: `${task.title}\n\n${task.instructions}`,
        intent: intentText(input.context.get(ctx.intent)),
        attempt,
        ...(feedback ? { feedback } : {}),
        worktree: worktree.path,
        stageDir: input.stageDir,
        signal,
      });
      if (report.status !== "finished") {
        return {
          status: "fail",
          failure_reason: `the builder gave up on ${task.id} (attempt ${attempt}${
            report.reason ? `, ${report.reason}` : ""
          }): ${report.summary}`,
        };
      }
      summary = report.summary;
      const changed = await ws.git.changedPaths(worktree.path);
      if (changed.length > 0) {
        const commit = await ws.git.commitAll(
          worktree.path,
          `${task.title}\n\n${firstLine(report)}`,
          {
            Bolt: boltId,
            Task: task.id,
            Attempt: String(attempt),
            Agent: `builder/${driver.name}`,
          },
        );
        deps.checkpointHook?.(`effect:commit:${task.id}`);
        deps.onProgress?.(
          `      committed ${commit.commit.slice(0, 8)}: ${changed.length} file${changed.length === 1 ? "" : "s"}`,
        );
      } else {
        deps.onProgress?.("      no change to commit");
      }
    }

    const merged = await ws.git.merge(
      ws.integrationPath,
      branch,
      `Merge ${task.id} (attempt ${attempt}) into ${ws.integrationBranch}`,
      { Bolt: boltId, Integrates: task.id, Attempt: String(attempt) },
    );
    if (merged.ok) {
      if (merged.created) deps.checkpointHook?.(`effect:merge:${task.id}`);
      const files = await filesOf(ws, deps.home.config.product.mainBranch, task.id);
      return {
        id: task.id,
        attempt,
        commit: (await ws.git.findCommit(branch, { Bolt: boltId, Task: task.id })) ?? null,
        files,
        summary,
      };
    }
    await deps.home.audit.append(deps.actor, "build.conflict", nodeSubject(boltId, node.id), {
      task: task.id,
      attempt,
      files: merged.conflicts,
    });
    if (tries >= limit) {
      return {
        status: "fail",
        failure_reason: `${task.id} still conflicts with the integration branch after ${tries} attempts: ${merged.conflicts.join(", ")}`,
      };
    }
    feedback = `Your change to ${merged.conflicts.join(", ")} conflicted with work already merged on the integration branch. Your worktree now starts from the integration branch, with that work in it; make your change again on top of it.`;
    deps.onProgress?.(
      `    ⚠ ${task.id} conflicts in ${merged.conflicts.join(", ")}; back to its builder`,
    );
    // Start the task again from the integration branch, which holds the work it collided with.
    await ws.git.run(["reset", "--hard", "--quiet", ws.integrationBranch], {
      workTree: worktree.path,
    });
    attempt += 1;
  }
}

/** Files changed by the task's own commits (not by what it merged from the integration branch). */
async function filesOf(ws: BoltWorkspace, main: string, taskId: string): Promise<string[]> {
  const log = await ws.git.run([
    "log",
    "--no-merges",
    "--format=%x01%(trailers:key=Task,valueonly,separator=)",
    "--name-only",
    `${main}..${ws.taskBranch(taskId)}`,
  ]);
  const files = new Set<string>();
  for (const record of log.stdout.split("\x01")) {
    const [owner, ...paths] = record.split("\n");
    if (owner?.trim() !== taskId) continue;
    for (const path of paths) if (path.trim()) files.add(path.trim());
  }
  return [...files].sort();
}

function firstLine(report: AgentReport): string {
  return report.summary.split("\n")[0] ?? "";
}

/** The intent as the builder reads it: goal and requirements, the way intake accepted them. */
function intentText(intent: unknown): string {
  const accepted = intent as
    | { title?: string; goal?: string; requirements?: { id: string; statement: string }[] }
    | undefined;
  if (!accepted?.title) return "";
  const requirements = (accepted.requirements ?? []).map((r) => `- ${r.id}: ${r.statement}`);
  return [
    `# ${accepted.title}`,
    accepted.goal ?? "",
    requirements.length ? `Requirements:\n${requirements.join("\n")}` : "",
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** `factory.plan`: the planner turns the intent into tasks, merged in the order given. */
import type { PlannedTask, PlanRequest } from "../../agents/index.js";
import type { Handler } from "../engine/handler.js";
import { plannerFor } from "./drivers.js";
import { ctx, type FactoryDeps, nodeSubject, writeArtifact } from "./factory-deps.js";

/** Names the plan may not use: the integration branch lives beside the task branches. */
const RESERVED = new Set(["integration"]);

export function createPlanHandler(deps: FactoryDeps): Handler {
  return {
    async execute({ context, boltId, node, stageDir, signal }) {
      const intent = context.get(ctx.intent) as PlanRequest["intent"] | undefined;
      if (!intent) {
        return { status: "fail", failure_reason: "factory.plan needs factory.intake before it" };
      }
      const planner = plannerFor(deps.home);
      const tasks = await planner.plan({ boltId, intent }, signal);
      const problem = planProblem(tasks);
      if (problem) return { status: "fail", failure_reason: `the plan is unusable: ${problem}` };
      writeArtifact(stageDir, "plan.json", `${JSON.stringify(tasks, null, 2)}\n`);
      await deps.home.audit.append("agent:planner", "plan.ready", nodeSubject(boltId, node.id), {
        planner: planner.name,
        tasks: tasks.map((t) => ({ id: t.id, title: t.title, covers: t.covers })),
      });
      deps.onProgress?.(`    plan: ${tasks.map((t) => t.id).join(", ")}`);
      return {
        status: "success",
        notes: `${tasks.length} task${tasks.length === 1 ? "" : "s"}: ${tasks.map((t) => t.id).join(", ")}`,
        context_updates: { [ctx.tasks]: tasks },
      };
    },
  };
}

function planProblem(tasks: PlannedTask[]): string | undefined {
  if (tasks.length === 0) return "it has no tasks";
  const seen = new Set<string>();
  for (const task of tasks) {
    if (RESERVED.has(task.id)) return `task id "${task.id}" is reserved`;
    if (seen.has(task.id)) return `task id "${task.id}" appears twice`;
    seen.add(task.id);
  }
  return undefined;
}

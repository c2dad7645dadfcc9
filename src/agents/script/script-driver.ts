/**
 * The `script` driver: a YAML file of actions per task, run through the same confined tools
 * and sandbox as every other driver. Deterministic, so tests and the offline demo can show a
 * first attempt that breaks something and a second that fixes it.
 */
import { readFileSync } from "node:fs";
import {
  InputError,
  type Parsed,
  parseLocatedYaml,
  zodIssuesToDiagnostics,
} from "../../common/index.js";
import type { AgentAction, AgentDriver, AgentPlanner, AgentReport } from "../contract.js";
import type { AgentEvaluator } from "../evaluator.js";
import { type AgentScript, agentScriptSchema, type ScriptAction } from "./script-schema.js";

const OUTPUT_KEPT = 4_000;

export function parseAgentScript(text: string, file: string): Parsed<AgentScript> {
  const source = parseLocatedYaml(text, file);
  if (source.syntaxIssues.length > 0) return { ok: false, issues: source.syntaxIssues };
  const parsed = agentScriptSchema.safeParse(source.value);
  if (!parsed.success)
    return {
      ok: false,
      issues: zodIssuesToDiagnostics(parsed.error.issues, source, agentScriptSchema),
    };
  return { ok: true, value: parsed.data, warnings: [] };
}

export function loadAgentScript(file: string): AgentScript {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(
      "script-unreadable",
      `cannot read the agent script ${file}: ${(error as Error).message}`,
      {
        hint: "set the role's `script:` in factory.yaml to a YAML file in the home",
      },
    );
  }
  const parsed = parseAgentScript(text, file);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    throw new InputError(
      "script-invalid",
      `${file}:${first?.line ?? 1}: ${first?.message ?? "invalid"}`,
      { hint: first?.hint ?? "" },
    );
  }
  return parsed.value;
}

export function createScriptDriver(script: AgentScript): AgentDriver {
  return {
    name: "script",
    async doTask(task, tools, signal) {
      const entry = script.tasks[task.taskId];
      if (!entry) {
        return {
          status: "gave_up",
          summary: `the script has no actions for task ${task.taskId}`,
          actions: [],
        };
      }
      const list =
        entry.actions ??
        entry.attempts?.[Math.min(task.attempt, entry.attempts.length) - 1]?.actions ??
        [];
      const actions: AgentAction[] = [];
      for (const action of list) {
        if (signal.aborted) break;
        const done = await perform(action, tools);
        actions.push(done);
        if (done.kind === "finish")
          return { status: "finished", summary: done.summary, actions } satisfies AgentReport;
      }
      return { status: "gave_up", summary: "the script ended without finish", actions };
    },
  };
}

/** The planner's side of a script: its `plan`, as written. */
export function createScriptPlanner(script: AgentScript, file: string): AgentPlanner {
  return {
    name: "script",
    async plan() {
      if (!script.plan) {
        throw new InputError("script-without-plan", `${file} has no plan`, {
          hint: "give the planner's script a `plan:` list of tasks (id, title, instructions)",
        });
      }
      return script.plan;
    },
  };
}

/** The evaluator's side of a script: its `evaluation` verdicts, one per attempt, the last repeating. */
export function createScriptEvaluator(script: AgentScript, file: string): AgentEvaluator {
  return {
    name: "script",
    async evaluate(request) {
      const verdicts = script.evaluation;
      if (!verdicts) {
        throw new InputError("script-without-evaluation", `${file} has no evaluation`, {
          hint: "give the evaluator's script an `evaluation:` list of verdicts (verdict, summary, findings), one per attempt",
        });
      }
      const index = Math.min(Math.max(request.attempt, 1), verdicts.length) - 1;
      return structuredClone(verdicts[index] as (typeof verdicts)[number]);
    },
  };
}

async function perform(
  action: ScriptAction,
  tools: Parameters<AgentDriver["doTask"]>[1],
): Promise<AgentAction> {
  if (action.write) {
    const result = await tools.files.write(action.write.path, action.write.content);
    return {
      kind: "write",
      path: action.write.path,
      ok: result.ok,
      detail: result.ok ? `${result.value.bytes} bytes` : result.error.message,
    };
  }
  if (action.edit) {
    const { path, old, new: replacement, all } = action.edit;
    const result = await tools.files.edit(path, {
      oldText: old,
      newText: replacement,
      ...(all ? { replaceAll: true } : {}),
    });
    return {
      kind: "edit",
      path,
      ok: result.ok,
      detail: result.ok ? `${result.value.replacements} replaced` : result.error.message,
    };
  }
  if (action.read) {
    const result = await tools.files.read(action.read.path);
    return {
      kind: "read",
      path: action.read.path,
      ok: result.ok,
      detail: result.ok ? `${result.value.lines} lines` : result.error.message,
    };
  }
  if (action.run) {
    const result = await tools.run(
      action.run.command,
      action.run.timeout_ms ? { timeoutMs: action.run.timeout_ms } : {},
    );
    const output = `${result.stdout}${result.stderr}`;
    return {
      kind: "run",
      command: action.run.command,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      output: output.slice(-OUTPUT_KEPT),
    };
  }
  return { kind: "finish", summary: action.finish?.summary ?? "" };
}

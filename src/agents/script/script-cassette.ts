/**
 * A script played by a model: the same actions as the `script` driver, written as an LLM
 * twin's cassette of turns, so the `llm` driver can run them through a provider twin, its SDK
 * and our whole tool loop. The offline demo uses it; one file stays the single source of what
 * the example's builder does.
 */
import type { AgentScript, ScriptAction } from "./script-schema.js";

/** A cassette as the LLM twins read it (`turns` of `match` and `reply`). */
export interface ScriptCassette {
  turns: {
    id: string;
    match: { last_user_contains: string; step: number };
    reply: { text: string; tool_calls: { name: string; input: Record<string, unknown> }[] };
  }[];
}

/**
 * One turn per action: on step n of attempt a of a task, the model calls the action's tool.
 * The match reads the task heading of the fresh context the llm driver writes
 * (`# Your task (<id>, attempt <n>)`), so a retried request gets the same answer.
 */
export function cassetteFromScript(script: AgentScript, attempts = 3): ScriptCassette {
  const turns: ScriptCassette["turns"] = [];
  for (const [taskId, entry] of Object.entries(script.tasks)) {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const actions =
        entry.actions ??
        entry.attempts?.[Math.min(attempt, entry.attempts.length) - 1]?.actions ??
        [];
      for (const [step, action] of actions.entries()) {
        const call = toolCallOf(action);
        turns.push({
          id: `${taskId}-attempt-${attempt}-step-${step}`,
          match: { last_user_contains: `(${taskId}, attempt ${attempt})`, step },
          reply: { text: `Next: ${call.name}.`, tool_calls: [call] },
        });
      }
    }
  }
  return { turns };
}

function toolCallOf(action: ScriptAction): { name: string; input: Record<string, unknown> } {
  if (action.write) return { name: "write", input: { ...action.write } };
  if (action.edit)
    return {
      name: "edit",
      input: {
        path: action.edit.path,
        old_text: action.edit.old,
        new_text: action.edit.new,
        ...(action.edit.all ? { replace_all: true } : {}),
      },
    };
  if (action.read) return { name: "read", input: { path: action.read.path } };
  if (action.run) return { name: "run", input: { command: action.run.command } };
  return { name: "finish", input: { summary: action.finish?.summary ?? "" } };
}

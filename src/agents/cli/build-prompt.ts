/** The one message an external coding agent gets: the task, in a fresh context. */
import type { AgentTask } from "../contract.js";

/**
 * Everything the agent knows comes from here (DESIGN §4: a fresh context per task). The
 * rules repeat what the sandbox enforces anyway, so the agent does not waste turns finding
 * out; the orchestrator commits, so the agent must not.
 */
export function buildPrompt(task: AgentTask): string {
  const parts = [
    `You are the ${task.role} in an automated software factory, working on task ${task.taskId} of bolt ${task.boltId}.`,
    "Your current directory is the git worktree for this task. Do the task below, then stop and summarise what you changed in a few sentences.",
    "",
    "## Task",
    task.instructions.trim(),
  ];
  if (task.attempt > 1) {
    parts.push("", `## Attempt ${task.attempt}`);
    parts.push(
      task.feedback?.trim()
        ? `The previous attempt was sent back. Why:\n${task.feedback.trim()}`
        : "The previous attempt was sent back without a reason recorded.",
    );
  }
  parts.push(
    "",
    "## Rules",
    "- Change files only inside the current directory.",
    "- Do not commit, push, or change git settings: the factory commits your work.",
    "- There is no network access; do not try to install packages.",
  );
  // NUL cannot pass through argv; nothing legitimate in a task contains one.
  return parts.join("\n").replaceAll("\0", "");
}

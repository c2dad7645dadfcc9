/**
 * The fresh context each task starts from: the intent, the task, a map of the repository and
 * the product's own notes for agents. Nothing of an earlier task's or attempt's conversation
 * is carried over; state lives in the repository and in the feedback the orchestrator writes.
 */
import type { AgentTask, AgentTools } from "../contract.js";
import { clip } from "./agent-tools.js";

const MAP_ENTRIES = 400;
const DOC_CHARS = 6_000;
/** Notes a product keeps for agents, most specific first. */
const AGENT_DOCS = ["AGENTS.md", "CLAUDE.md", "CONTRIBUTING.md", "README.md"];
/** Never worth a line of the map: installed, generated or version control. */
const UNMAPPED = /(^|\/)(node_modules|\.git|dist|build|coverage|\.factory)(\/|$)/;

const ROLE_BRIEF: Record<AgentTask["role"], string> = {
  planner: "You plan: break the intent into small tasks that can be built and merged in order.",
  builder:
    "You build: change the repository to do the task, with tests that prove it, and run the tests before you finish.",
  evaluator:
    "You evaluate: judge the change against the intent from the evidence given (the diff and measured results). You did not write it. Say plainly what is missing or wrong.",
  redteam:
    "You attack: look for ways the change breaks the intent's security expectations, and report them with evidence.",
};

export async function buildTaskContext(
  task: AgentTask,
  tools: AgentTools,
): Promise<{ system: string; prompt: string }> {
  const system = [
    "You are an agent of darkfactory, a software factory where agents build from written intent.",
    ROLE_BRIEF[task.role],
    "You work only through the tools you are given, on one git worktree of the product. Commands run in a sandbox without network. Paths are relative to the repository root.",
    "When the task is done and its tests pass, call finish with a short summary. Do not ask questions: decide, and say what you assumed in the summary.",
  ].join("\n\n");

  const sections: string[] = [];
  if (task.intent) sections.push(`# The intent\n\n${task.intent.trim()}`);
  sections.push(
    `# Your task (${task.taskId}, attempt ${task.attempt})\n\n${task.instructions.trim()}`,
  );
  if (task.feedback)
    sections.push(
      `# Why the previous attempt was sent back\n\n${clip(task.feedback.trim(), DOC_CHARS)}`,
    );
  const listed = await tools.files.list(".", { recursive: true, maxEntries: 5_000 });
  const files = listed.ok
    ? listed.value.entries
        .filter((entry) => entry.kind === "file" && !UNMAPPED.test(entry.path))
        .map((entry) => entry.path)
        .sort()
    : [];
  sections.push(
    `# The repository\n\n${listed.ok ? repositoryMap(files) : `(the repository could not be listed: ${listed.error.message})`}`,
  );
  // The most specific notes there are, alone: a README after AGENTS.md is mostly noise.
  const doc = AGENT_DOCS.find((name) => files.includes(name));
  const read = doc ? await tools.files.read(doc) : undefined;
  if (read?.ok) sections.push(`# The product's ${doc}\n\n${clip(read.value.content, DOC_CHARS)}`);
  return { system, prompt: sections.join("\n\n") };
}

function repositoryMap(files: string[]): string {
  const shown = files.slice(0, MAP_ENTRIES).join("\n");
  return files.length > MAP_ENTRIES
    ? `${shown}\n[… ${files.length - MAP_ENTRIES} more files]`
    : shown || "(empty)";
}

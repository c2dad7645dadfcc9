/**
 * LLM task nodes (§4.5). The prompt (with `$goal` expanded) goes to a backend, the agents
 * issue's drivers behind this one small contract; prompt.md, response.md and status.json
 * are written to the node's folder.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Redactor } from "../../governance/index.js";
import type { Handler } from "../engine/handler.js";
import type { Outcome } from "../engine/outcome.js";
import type { RunContext } from "../engine/run-context.js";
import type { PipelineNode } from "../graph.js";

export interface CodergenBackend {
  run(
    node: PipelineNode,
    prompt: string,
    context: RunContext,
    signal: AbortSignal,
  ): Promise<string | Outcome>;
}

export function createCodergenHandler(backend: CodergenBackend, redactor: Redactor): Handler {
  return {
    async execute({ node, graph, context, stageDir, signal }) {
      const prompt = (node.attrs.prompt || node.attrs.label || node.id).replaceAll(
        "$goal",
        graph.attrs.goal ?? "",
      );
      mkdirSync(stageDir, { recursive: true });
      writeFileSync(join(stageDir, "prompt.md"), redactor.redactText(prompt));
      let result: string | Outcome;
      try {
        result = await backend.run(node, prompt, context, signal);
      } catch (error) {
        return { status: "fail", failure_reason: (error as Error).message };
      }
      if (typeof result !== "string") {
        writeFileSync(join(stageDir, "response.md"), redactor.redactText(result.notes ?? ""));
        return result;
      }
      writeFileSync(join(stageDir, "response.md"), redactor.redactText(result));
      return {
        status: "success",
        notes: `Stage completed: ${node.id}`,
        context_updates: { last_stage: node.id, last_response: result.slice(0, 200) },
      };
    },
  };
}

/** A backend that answers from a table: node id → a response or an outcome per call. For tests and demos. */
export function createScriptedBackend(
  script: Record<string, (string | Outcome)[]>,
): CodergenBackend {
  const calls = new Map<string, number>();
  return {
    async run(node) {
      const n = calls.get(node.id) ?? 0;
      calls.set(node.id, n + 1);
      const answers = script[node.id];
      if (!answers || answers.length === 0) return `[Scripted] Response for stage: ${node.id}`;
      return answers[Math.min(n, answers.length - 1)] ?? "";
    },
  };
}

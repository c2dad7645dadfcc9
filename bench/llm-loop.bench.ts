/**
 * The llm driver's own cost per step, model time excluded: a provider that answers at once
 * with the next tool call (a read of a small file, each a different one so the loop detector
 * stays quiet), against the same reads made directly through the file tools in the same run.
 * The conversation grows with every step, so the figure is given for short and long tasks.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AgentTools,
  createLlmDriver,
  type LlmProvider,
  type LlmResponse,
} from "../src/agents/index.js";
import { createFileTools } from "../src/workspace/index.js";

const FILES = 50;

function provider(steps: number): LlmProvider {
  let step = 0;
  return {
    name: "instant",
    async complete(): Promise<LlmResponse> {
      step += 1;
      const done = step >= steps;
      return {
        text: "",
        toolCalls: [
          done
            ? { id: `c${step}`, name: "finish", input: { summary: "done" } }
            : {
                id: `c${step}`,
                name: "read",
                input: { path: `src/f${step % FILES}.ts`, limit: step },
              },
        ],
        stopReason: "tool_use",
        usage: { inputTokens: 1_000, outputTokens: 50 },
        model: "instant",
      };
    },
  };
}

export async function benchLlmLoop(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "df-bench-loop-"));
  mkdirSync(join(root, "src"));
  for (let i = 0; i < FILES; i++)
    writeFileSync(join(root, "src", `f${i}.ts`), `export const f${i} = ${i};\n`.repeat(40));
  const files = createFileTools({ worktree: root });
  const tools: AgentTools = {
    files,
    run: () => Promise.reject(new Error("no commands in this benchmark")),
    record: async () => {},
  };
  const lines = ["llm tool loop (a provider that answers at once; per step, model time excluded)"];
  try {
    for (const steps of [20, 200]) {
      const task = {
        boltId: "b",
        taskId: "t",
        role: "builder" as const,
        instructions: "read the files",
        attempt: 1,
      };
      await createLlmDriver({ provider: provider(steps), model: "instant" }).doTask(
        task,
        tools,
        new AbortController().signal,
      );
      const started = performance.now();
      const report = await createLlmDriver({ provider: provider(steps), model: "instant" }).doTask(
        task,
        tools,
        new AbortController().signal,
      );
      const perStep = (performance.now() - started) / steps;
      if (report.status !== "finished") throw new Error(`the loop stopped: ${report.summary}`);
      const direct = performance.now();
      for (let step = 1; step < steps; step++)
        await files.read(`src/f${step % FILES}.ts`, { limit: step });
      const toolOnly = (performance.now() - direct) / steps;
      lines.push(
        `  ${String(steps).padStart(3)}-step task   ${perStep.toFixed(3)} ms a step   the same reads alone ${toolOnly.toFixed(3)} ms   loop overhead ${(perStep - toolOnly).toFixed(3)} ms   target < 5 ms: ${perStep - toolOnly < 5 ? "met" : "NOT met"}`,
      );
    }
    const memory = process.memoryUsage();
    lines.push(
      `  memory: rss ${(memory.rss / 1e6).toFixed(1)} MB, heap ${(memory.heapUsed / 1e6).toFixed(1)} MB`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`\n${lines.join("\n")}\n`);
}

/** Tool nodes (§4.10): run `tool_command` through the executor; exit 0 is success. */
import { mkdirSync } from "node:fs";
import { parseDuration } from "../../common/index.js";
import type { Redactor } from "../../governance/index.js";
import type { Handler } from "../engine/handler.js";
import { type ToolExecutor, toolEnvironment } from "./tool-executor.js";

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const CONTEXT_OUTPUT_LIMIT = 4_000;

export interface ToolHandlerOptions {
  executor: ToolExecutor;
  redactor: Redactor;
  env?: NodeJS.ProcessEnv;
}

export function createToolHandler(options: ToolHandlerOptions): Handler {
  return {
    sideEffect: true,
    async execute({ node, boltId, runDir, idempotencyKey, attempt, signal }) {
      const command = node.attrs.tool_command ?? "";
      if (command.trim() === "")
        return { status: "fail", failure_reason: "No tool_command specified" };
      mkdirSync(runDir, { recursive: true });
      const timeoutMs = node.attrs.timeout
        ? (parseDuration(node.attrs.timeout) ?? DEFAULT_TIMEOUT_MS)
        : DEFAULT_TIMEOUT_MS;
      const result = await options.executor.run({
        command,
        cwd: runDir,
        env: toolEnvironment(options.env ?? process.env, {
          FACTORY_BOLT: boltId,
          FACTORY_NODE: node.id,
          FACTORY_ATTEMPT: String(attempt),
          FACTORY_IDEMPOTENCY_KEY: idempotencyKey,
        }),
        timeoutMs,
        signal,
      });
      const stdout = options.redactor.redactText(result.stdout);
      const stderr = options.redactor.redactText(result.stderr);
      if (result.timedOut)
        return { status: "fail", failure_reason: `timed out after ${timeoutMs} ms: ${command}` };
      if (result.exitCode !== 0) {
        const tail = stderr.trim().split("\n").slice(-5).join("\n");
        return {
          status: "fail",
          failure_reason: `exit ${result.exitCode ?? "signal"}: ${command}${tail ? `\n${tail}` : ""}`,
          context_updates: {
            "tool.output": stdout.slice(-CONTEXT_OUTPUT_LIMIT),
            "tool.exit_code": result.exitCode,
          },
        };
      }
      return {
        status: "success",
        notes: `Tool completed in ${result.ms} ms: ${command}`,
        context_updates: {
          "tool.output": stdout.trim().slice(-CONTEXT_OUTPUT_LIMIT),
          "tool.exit_code": 0,
        },
      };
    },
  };
}

/**
 * The `cli` driver (DESIGN §4): an external coding agent (Claude Code, Codex, opencode, Gemini
 * CLI, Aider) run headless in the task's worktree, inside the sandbox, with only its own key
 * and base URL, its server reached through the sandbox's network bridge. Its event stream is read live into our actions, tokens and cost, and the
 * whole process group is killed at the task's budget, its wall time, or the caller's abort.
 */
import { InputError } from "../../common/index.js";
import {
  bridgeUrls,
  grantWorktreeAccess,
  type Sandbox,
  type SandboxRun,
} from "../../workspace/index.js";
import type { AgentDriver, AgentReport, AgentTask, AgentTools, StopReason } from "../contract.js";
import { cliAdapters } from "./adapters/index.js";
import { buildPrompt } from "./build-prompt.js";
import type { CliBudget, CliCommand, CliCredentials } from "./cli-adapter.js";
import { type CliStop, judgeRun } from "./judge-run.js";
import { LineSplitter } from "./line-splitter.js";
import { shellCommand } from "./shell-words.js";
import { type OtherToolCall, StreamState } from "./stream-state.js";
import { createToolHome } from "./tool-home.js";

/** factory.yaml's `{ driver: cli, command, args, model }`. */
export interface CliDriverConfig {
  command: CliCommand;
  /** Added after our arguments; a flag set here replaces our default for it. */
  args?: string[];
  model?: string;
}

export interface CliDriverDeps {
  /** The sandbox every run goes through (the factory's `deps.sandbox`). */
  sandbox: () => Promise<Sandbox>;
  /** Passed to the tool under its own variable names, and nothing else of our environment. */
  credentials?: CliCredentials;
  /** The task's budget; tokens and cost are read from the stream, so a tool that does not report them is bounded by wall time alone. */
  budget?: CliBudget;
  /** The executable, when not `command` on the sandbox's PATH; it must be inside what the sandbox mounts. */
  binary?: string;
  /** Used when the budget sets no wall time. Default 30 minutes. */
  timeoutMs?: number;
  /** Per-run limits for the sandbox; Node-based CLIs may need more processes than the default. */
  limits?: Pick<SandboxRun, "maxProcesses" | "maxFileSizeBytes">;
}

/** An AgentReport with what only a CLI run can tell: how it ended, and what it used. */
export interface CliAgentReport extends AgentReport {
  tool: CliCommand;
  stop: CliStop;
  exitCode: number | null;
  /** Input tokens include cached ones. As the tool reported them; zero when it reported none. */
  tokens: { input: number; output: number };
  /** USD as the tool reported it (Claude Code, opencode, aider); undefined otherwise. */
  costUsd: number | undefined;
  /** Tool calls with no action kind of ours (to-do lists, sub-agents, web searches). */
  otherTools: OtherToolCall[];
  ms: number;
}

export interface CliDriver extends AgentDriver {
  doTask(task: AgentTask, tools: AgentTools, signal: AbortSignal): Promise<CliAgentReport>;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const STDERR_KEPT = 4_000;

export function createCliDriver(config: CliDriverConfig, deps: CliDriverDeps): CliDriver {
  const adapter = Object.hasOwn(cliAdapters, config.command)
    ? cliAdapters[config.command]
    : undefined;
  if (!adapter)
    throw new InputError("cli-command-unknown", `No cli driver for "${config.command}"`, {
      hint: `use one of: ${Object.keys(cliAdapters).join(", ")}`,
    });
  const extraArgs = config.args ?? [];
  const binary = deps.binary ?? config.command;
  if ([binary, ...extraArgs].some((word) => word.includes("\0")))
    throw new InputError("cli-args-invalid", `The ${config.command} args contain a NUL byte`, {
      hint: "remove it from the agent's args in factory.yaml",
    });
  const budget = deps.budget ?? {};
  const timeoutMs = budget.wallTimeMs ?? deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Built once, so a key without a known variable fails at start-up, not mid-bolt.
  const toolEnv = adapter.env(deps.credentials ?? {}, config.model);

  return {
    name: `cli:${config.command}`,
    async doTask(task, tools, signal) {
      const worktree = tools.files.worktree;
      const state = new StreamState(worktree);
      const report = (verdict: ReturnType<typeof judgeRun>, exitCode: number | null, ms = 0) => ({
        status: verdict.status,
        summary: verdict.summary,
        actions: [
          ...state.actions,
          ...(verdict.status === "finished"
            ? [{ kind: "finish" as const, summary: verdict.summary }]
            : []),
        ],
        ...(verdict.status === "gave_up" ? { reason: REASONS[verdict.stop] } : {}),
        usage: {
          steps: state.steps,
          inputTokens: state.tokens.input,
          outputTokens: state.tokens.output,
          costUsd: state.costUsd ?? 0,
          ...(state.costUsd === undefined ? { unpriced: [adapter.command] } : {}),
        },
        tool: adapter.command,
        stop: verdict.stop,
        exitCode,
        tokens: { ...state.tokens },
        costUsd: state.costUsd,
        otherTools: state.otherTools,
        ms,
      });
      if (signal.aborted)
        return report(
          { status: "gave_up", stop: "aborted", summary: "stopped by the orchestrator" },
          null,
        );

      const sandbox = await deps.sandbox();
      const home = await createToolHome(sandbox);
      // The bwrap sandbox has no network: the tool reaches its server, and only that, through
      // a bridge at http://127.0.0.1:<port>. The process sandbox keeps the URL as it is.
      const baseUrl = deps.credentials?.baseUrl;
      const bridged = await bridgeUrls(sandbox, baseUrl === undefined ? [] : [baseUrl]);
      const env = bridged.bridge
        ? adapter.env({ ...deps.credentials, baseUrl: bridged.urls[0] }, config.model)
        : toolEnv;
      try {
        // Files the orchestrator wrote are root's; the tool runs as the sandbox user.
        await grantWorktreeAccess(worktree);
        const parse = adapter.parser(state);
        const lines = {
          stdout: new LineSplitter((line) => parse(line, "stdout")),
          stderr: new LineSplitter((line) => parse(line, "stderr")),
        };
        const stop = new AbortController();
        let overBudget: string | undefined;
        let stderrTail = "";
        let heard = false;
        const watch = () => {
          overBudget ??= budgetPassed(state, budget);
          if (overBudget !== undefined && !stop.signal.aborted) stop.abort();
        };
        const args = adapter.args({
          prompt: buildPrompt(task),
          model: config.model,
          budget,
          home: home.path,
          extraArgs,
        });
        const result = await sandbox.run({
          command: shellCommand([binary, ...args]),
          worktree,
          env: { ...env, HOME: home.path },
          bridge: bridged.bridge,
          timeoutMs,
          signal: AbortSignal.any([signal, stop.signal]),
          ...deps.limits,
          onOutput(stream, chunk) {
            heard = true;
            if (stream === "stderr") stderrTail = (stderrTail + chunk).slice(-STDERR_KEPT);
            lines[stream].push(chunk);
            watch();
          },
        });
        // A sandbox that does not stream (a test double) still gets its output read.
        if (!heard) {
          lines.stdout.push(result.stdout);
          lines.stderr.push(result.stderr);
          stderrTail = result.stderr.slice(-STDERR_KEPT);
        }
        lines.stdout.end();
        lines.stderr.end();
        watch();
        const verdict = judgeRun({
          adapter,
          binary,
          state,
          result,
          overBudget,
          aborted: signal.aborted,
          timeoutMs,
          stderrTail,
        });
        const done = report(verdict, result.exitCode, result.ms);
        await recordRun(tools, done);
        return done;
      } finally {
        await bridged.close();
        await home.remove();
      }
    },
  };
}

/** What the audit keeps of one command's output; the report has it whole. */
const AUDITED_OUTPUT = 2_000;

/**
 * The tool's own file actions and commands happen inside it, not through our audited tools:
 * each is recorded as the tool reported it (`cli.*`), then the run's outcome and usage.
 */
async function recordRun(tools: AgentTools, report: CliAgentReport): Promise<void> {
  if (!tools.record) return;
  for (const action of report.actions) {
    if (action.kind === "finish") continue;
    await tools.record(
      `cli.${action.kind}`,
      action.kind === "run"
        ? { ...action, output: action.output.slice(-AUDITED_OUTPUT) }
        : { ...action },
    );
  }
  await tools.record("cli.outcome", {
    tool: report.tool,
    stop: report.stop,
    exitCode: report.exitCode,
    tokens: report.tokens,
    ...(report.costUsd === undefined ? {} : { costUsd: report.costUsd }),
    otherTools: report.otherTools.length,
    ms: report.ms,
  });
}

/** The driver-neutral reason a run gave up, for the report the pipeline reads. */
const REASONS: Record<CliStop, StopReason> = {
  finished: "error",
  "over-budget": "budget",
  aborted: "aborted",
  timeout: "timeout",
  "not-found": "error",
  "error-event": "error",
  "no-final-event": "no_finish",
  "reported-failure": "error",
  "exit-after-success": "error",
  "exit-code": "error",
};

/** What passed which limit, or undefined while the run is within its budget. */
function budgetPassed(state: StreamState, budget: CliBudget): string | undefined {
  const tokens = state.tokens.input + state.tokens.output;
  if (budget.usd !== undefined && (state.costUsd ?? 0) > budget.usd)
    return `cost $${(state.costUsd ?? 0).toFixed(4)} passed $${budget.usd}`;
  if (budget.tokens !== undefined && tokens > budget.tokens)
    return `${tokens} tokens passed ${budget.tokens}`;
  if (budget.steps !== undefined && state.steps > budget.steps)
    return `${state.steps} tool calls passed ${budget.steps}`;
  return undefined;
}

import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { InputError } from "../../common/index.js";
import type { Home } from "../../home/index.js";
import {
  answerGate,
  type BoltResult,
  type BoltRunOptions,
  boltReport,
  builderForModel,
  cancelBolt,
  type EngineEvent,
  resumeBolt,
  runIntent,
  runPipelineFile,
} from "../../pipeline/index.js";
import { type CliContext, type CommandOutcome, withHome } from "../context.js";
import type { Register } from "../register.js";

export const registerBolt: Register = (program, run) => {
  program
    .command("run")
    .description(
      "start a bolt over an intent (the default bolt, or --pipeline), to its end or to a human gate (exit 3)",
    )
    .argument("[intent]", "the intent file, e.g. intents/refunds.md")
    .option("--pipeline <file.dot>", "run this graph instead of the default bolt")
    .option(
      "--model <name>",
      "build with the llm driver on this model, over factory.yaml's builder (claude-* on Anthropic, others on OpenAI or OPENAI_BASE_URL); the key from ANTHROPIC_API_KEY or OPENAI_API_KEY",
    )
    .addOption(
      new Option(
        "--provider <provider>",
        "the --model's provider, when its name does not say",
      ).choices(["anthropic", "openai"]),
    )
    .action(
      (
        intent: string | undefined,
        options: { pipeline?: string; model?: string; provider?: "anthropic" | "openai" },
        command: Command,
      ) =>
        run(command, (context) =>
          withHome(context, async (home) => {
            const pipeline = options.pipeline ? resolve(context.cwd, options.pipeline) : undefined;
            if (options.provider && !options.model)
              throw new InputError("provider-without-model", "--provider needs --model", {
                hint: "e.g. `factory run intents/refunds.md --model qwen2.5-coder --provider openai`",
              });
            if (intent) {
              return outcomeOf(
                await runIntent(home, resolve(context.cwd, intent), {
                  ...runOptions(context),
                  ...(pipeline ? { pipeline } : {}),
                  ...(options.model
                    ? { builder: builderForModel(options.model, options.provider) }
                    : {}),
                }),
              );
            }
            if (!pipeline) {
              throw new InputError(
                "nothing-to-run",
                "name an intent, or a pipeline with --pipeline",
                {
                  hint: "e.g. `factory run intents/refunds.md`",
                },
              );
            }
            return outcomeOf(await runPipelineFile(home, pipeline, runOptions(context)));
          }),
        ),
    );
  program
    .command("runs")
    .description("list bolts, newest first")
    .option("--limit <n>", "how many", "20")
    .action((options: { limit: string }, command: Command) =>
      run(command, (context) =>
        withHome(context, (home) => listRuns(home, Number(options.limit) || 20)),
      ),
    );
  program
    .command("status")
    .description("a bolt's status, current node, and each node with its status, attempts and time")
    .argument("<bolt>")
    .action((boltId: string, _o: unknown, command: Command) =>
      run(command, (context) => withHome(context, (home) => status(home, boltId))),
    );
  program
    .command("resume")
    .description("continue a bolt from its journal (after a kill, or to retry a waiting gate)")
    .argument("<bolt>")
    .action((boltId: string, _o: unknown, command: Command) =>
      run(command, (context) =>
        withHome(context, async (home) =>
          outcomeOf(await resumeBolt(home, boltId, runOptions(context))),
        ),
      ),
    );
  program
    .command("cancel")
    .description("stop a bolt at its next node boundary")
    .argument("<bolt>")
    .action((boltId: string, _o: unknown, command: Command) =>
      run(command, (context) =>
        withHome(context, async (home) => {
          await cancelBolt(home, boltId, context.actor);
          return {
            exitCode: 0,
            json: { bolt: boltId, status: "cancelled" },
            text: `bolt ${boltId} cancelled`,
          };
        }),
      ),
    );
  for (const approve of [true, false]) {
    program
      .command(approve ? "approve" : "reject")
      .description(
        approve
          ? "answer a waiting human gate and continue the bolt"
          : "refuse at a waiting human gate; the gate fails and the bolt routes on",
      )
      .argument("<bolt>")
      .argument("<node>")
      .option(
        "--label <label>",
        "the edge to take (its label or accelerator key); default: the first",
      )
      .option("--reason <text>", "why, for the audit trail")
      .action(
        (
          boltId: string,
          nodeId: string,
          options: { label?: string; reason?: string },
          command: Command,
        ) =>
          run(command, (context) =>
            withHome(context, async (home) => {
              const decision = {
                approve,
                ...(options.label ? { label: options.label } : {}),
                ...(options.reason ? { reason: options.reason } : {}),
              };
              const answered = await answerGate(
                home,
                boltId,
                nodeId,
                decision,
                runOptions(context),
              );
              const outcome = outcomeOf(answered);
              if (answered.approvals.outcome !== "pending") return outcome;
              // Short of the quorum: the vote counts, the bolt waits (exit 3) for the others.
              const { approvals, needed } = answered.approvals;
              return {
                ...outcome,
                json: { ...(outcome.json as object), approvals: answered.approvals },
                text: `${approvals} of ${needed} approvals at ${nodeId}; bolt ${boltId} waits for ${needed - approvals} more`,
              };
            }),
          ),
      );
  }
};

export function runOptions(context: CliContext): BoltRunOptions {
  const started = Date.now();
  // Every line says how far into the command it is: a bolt's stages take seconds to minutes.
  const say = (line: string) =>
    context.progress(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);
  const killAt = context.env.FACTORY_TEST_KILL_AT;
  // Ctrl-C or SIGTERM stops the engine, which kills the running command's process group and
  // leaves the bolt resumable, instead of orphaning the command.
  const interrupt = new AbortController();
  const stop = () => interrupt.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    actor: context.actor,
    env: context.env,
    signal: interrupt.signal,
    onEvent: (event) => say(describeEvent(event)),
    onProgress: say,
    // Test-only: die at a named point, as a crash would, to prove resume.
    ...(killAt
      ? {
          checkpointHook: (point: string) =>
            point === killAt && process.kill(process.pid, "SIGKILL"),
        }
      : {}),
  };
}

export function describeEvent(event: EngineEvent): string {
  switch (event.kind) {
    case "node.start":
      return `▸ ${event.node}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ""}`;
    case "node.outcome":
      return `${event.branch ? "    ⑂" : " "} ${event.status === "fail" ? "✗" : "✓"} ${event.node} ${event.status} in ${event.ms} ms${event.next ? ` → ${event.next}` : ""}`;
    case "node.retry":
      return `  ↻ ${event.node} retry in ${event.delayMs} ms: ${event.reason.split("\n")[0]}`;
    case "bolt.waiting":
      return `⏸ waiting at ${event.node}: ${event.question}`;
    case "bolt.end":
      return `■ bolt ${event.status}`;
  }
}

function outcomeOf(result: BoltResult): CommandOutcome {
  const exitCode = result.status === "succeeded" ? 0 : result.status === "waiting" ? 3 : 1;
  const lines = [`bolt ${result.boltId} ${result.status}`];
  if (result.outcome.failure_reason) lines.push(`  reason: ${result.outcome.failure_reason}`);
  if (result.waiting) {
    lines.push(`  waiting at ${result.waiting.node}: ${result.waiting.question.text}`);
    for (const option of result.waiting.question.options) {
      lines.push(
        `    ${option.label.startsWith("[") ? option.label : `[${option.key}] ${option.label}`}`,
      );
    }
    lines.push(
      `  answer with: factory approve ${result.boltId} ${result.waiting.node} --label <label>   (or factory reject ...)`,
    );
  }
  lines.push(`  see: factory status ${result.boltId}`);
  return {
    exitCode,
    json: {
      bolt: result.boltId,
      status: result.status,
      outcome: result.outcome,
      waiting: result.waiting ?? null,
      completed: result.completed,
    },
    text: lines.join("\n"),
  };
}

async function listRuns(home: Home, limit: number): Promise<CommandOutcome> {
  const bolts = await home.store.listBolts({ limit });
  return {
    exitCode: 0,
    json: {
      bolts: bolts.map((b) => ({
        bolt: b.id,
        status: b.status,
        pipeline: b.pipeline,
        intent: b.intentId || null,
        createdAt: new Date(b.createdAt).toISOString(),
      })),
    },
    text:
      bolts.length === 0
        ? "no bolts yet; start one with `factory run --pipeline <file.dot>`"
        : bolts
            .map(
              (b) =>
                `${b.id}  ${b.status.padEnd(9)}  ${new Date(b.createdAt).toISOString()}  ${b.pipeline}`,
            )
            .join("\n"),
  };
}

async function status(home: Home, boltId: string): Promise<CommandOutcome> {
  const report = await boltReport(home, boltId);
  const lines = [
    `bolt ${report.bolt}: ${report.status}${report.currentNode ? ` at ${report.currentNode}` : ""}`,
    `  pipeline ${report.pipeline}`,
    ...report.nodes.map(
      (n) =>
        `  ${n.id.padEnd(24)} ${n.status.padEnd(16)} visits ${n.visits}  attempts ${n.attempts}  ${n.ms} ms`,
    ),
  ];
  return { exitCode: 0, json: report, text: lines.join("\n") };
}

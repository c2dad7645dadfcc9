import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { parseDocument } from "yaml";
import { cassetteFromScript, loadAgentScript } from "../../agents/index.js";
import { verifyAuditLog } from "../../governance/index.js";
import { homeLayout, initHome, openHome } from "../../home/index.js";
import {
  boltReport,
  boltSpendOf,
  readBoltLog,
  runIntent,
  type SatisfactionPoint,
  satisfactionHistory,
  type TestSummary,
} from "../../pipeline/index.js";
import { anthropicTwin, createTwin, type ServedTwin } from "../../twins/index.js";
import type { CliContext, CommandOutcome } from "../context.js";
import type { Register } from "../register.js";
import { runOptions } from "./bolt.js";

const INTENT = "intents/refunds.md";
/** Any name the price table knows, so the demo shows what the run would have cost. */
const DEMO_MODEL = "claude-sonnet-5-5";

export const registerDemo: Register = (program, run) => {
  program
    .command("demo")
    .description(
      "take the acme example's refunds intent through a whole bolt in a fresh folder: plan, build in sandboxed worktrees, test, gates, release",
    )
    .option("--dir <dir>", "where to lay out the demo (default: a new temporary folder)")
    .addOption(
      new Option("--risk <risk>", "the intent's risk; medium stops at the approval gate")
        .choices(["low", "medium"])
        .default("low"),
    )
    .addOption(
      new Option(
        "--driver <driver>",
        "llm: the builder is our tool loop talking to the anthropic twin through Anthropic's SDK; script: it plays agents/builder.yaml directly",
      )
        .choices(["llm", "script"])
        .default("llm"),
    )
    .action((options: DemoOptions, command: Command) =>
      run(command, (context) => demo(context, options)),
    );
};

/**
 * The factory end to end on the embedded store, offline: lay out the acme example (a home and
 * a small billing service), and run the default bolt over its refunds intent with the
 * scripted agents, whose first build attempt breaks a test so the bolt shows its route back.
 */
interface DemoOptions {
  dir?: string;
  risk: "low" | "medium";
  driver: "llm" | "script";
}

async function demo(context: CliContext, options: DemoOptions): Promise<CommandOutcome> {
  const target = options.dir
    ? resolve(context.cwd, options.dir)
    : mkdtempSync(join(tmpdir(), "darkfactory-demo-"));
  const fresh = !options.dir || !existsSync(target);
  const started = Date.now();
  context.progress(`▸ laying out the acme example in ${target}`);
  const laid = await initHome({
    dir: target,
    example: "acme",
    actor: context.actor,
    env: context.env,
  });
  const { root, product } = laid;
  let home = laid.home;
  // The sandbox's user must be able to reach the worktrees inside; mkdtemp makes 0700.
  if (fresh) chmodSync(target, 0o755);
  let model: ServedTwin | undefined;
  try {
    if (options.driver === "llm") {
      model = await serveDemoModel(root);
      context.progress(
        `▸ the builder is the llm driver; its model, the anthropic twin at ${model.url}`,
      );
      await home.close();
      home = openHome(root, { env: context.env });
    }
    const intentFile = join(root, INTENT);
    setRisk(intentFile, options.risk);
    context.progress(`▸ factory run ${INTENT}   (risk ${options.risk})`);
    const bolt = await runIntent(home, intentFile, runOptions(context));
    const report = await boltReport(home, bolt.boltId);
    const audit = await verifyAuditLog(home.store);
    const spend = await boltSpendOf(home, bolt.boltId);
    const satisfaction = await satisfactionHistory(home, bolt.boltId);
    const gate = (await readBoltLog(home, bolt.boltId))
      .filter((entry) => entry.action === "gate.decide")
      .at(-1)?.data;
    const head = audit.ok && audit.head ? `${audit.head.seq}:${audit.head.hash}` : null;
    const files = (bolt.context["factory.gates.changed_files"] as string[] | undefined) ?? [];
    const tests = bolt.context["factory.test.summary"] as TestSummary | undefined;
    const release = bolt.context["factory.release.commit"] as string | undefined;
    const anchor = bolt.context["factory.release.audit_head"] as string | undefined;
    const status = !audit.ok ? "failed" : bolt.status === "waiting" ? "waiting" : bolt.status;
    const ms = Date.now() - started;
    const exitCode = status === "succeeded" ? 0 : status === "waiting" ? 3 : 1;
    const nodes = report.nodes.map(({ id, status, attempts, visits, ms }) => ({
      id,
      status,
      attempts,
      visits,
      ms,
    }));
    // Run from where darkfactory is installed, so `npx factory` finds it.
    const inHome = `--home ${root}`;
    const next = [
      `  npx factory logs ${bolt.boltId} ${inHome}              what each agent did`,
      `  npx factory logs ${bolt.boltId} --node test ${inHome}  the test runs`,
      `  npx factory scenarios run --bolt ${bolt.boltId} --repeat 10 ${inHome}  the holdout scenarios again, 10 seeds each`,
      `  npx factory audit verify${anchor ? ` --head ${anchor}` : ""} ${inHome}`,
      ...(release
        ? [
            `  npx factory audit provenance ${bolt.boltId} ${inHome}   the release's signed in-toto/SLSA provenance`,
          ]
        : []),
      `  npx factory gate check --bolt ${bolt.boltId} --passed ${inHome}   every rule the change passed`,
      ...(bolt.waiting
        ? [`  npx factory approve ${bolt.boltId} ${bolt.waiting.node} ${inHome}   to release it`]
        : []),
      ...(product ? [`  git -C ${product} log --graph --oneline`] : []),
    ];
    return {
      exitCode,
      json: {
        bolt: bolt.boltId,
        status,
        home: root,
        product: product ?? null,
        nodes,
        files,
        tests: tests ?? null,
        scenarios: satisfaction,
        gate: gate ?? null,
        release: release ?? null,
        waiting: bolt.waiting?.node ?? null,
        audit: { entries: audit.count, head, intact: audit.ok },
        model:
          options.driver === "llm"
            ? {
                name: DEMO_MODEL,
                steps: spend.steps,
                tokens: spend.inputTokens + spend.outputTokens,
                usd: spend.costUsd,
              }
            : null,
        ms,
      },
      text: [
        "",
        `${status === "succeeded" ? "✓" : status === "waiting" ? "⏸" : "✗"} bolt ${bolt.boltId} ${status} in ${(ms / 1000).toFixed(1)} s`,
        ...(bolt.outcome.failure_reason && status === "failed"
          ? [`  reason    ${bolt.outcome.failure_reason}`]
          : []),
        `  home      ${root}`,
        `  product   ${product ?? "(none)"}`,
        "  nodes",
        ...nodes.map(
          (n) =>
            `    ${n.id.padEnd(16)} ${n.status.padEnd(8)} ${plural(n.visits, "visit").padEnd(9)} ${plural(n.attempts, "attempt").padEnd(11)} ${String(n.ms).padStart(6)} ms`,
        ),
        `  files     ${files.length ? files.join(", ") : "(none yet)"}`,
        `  tests     ${tests ? `${tests.command}: ${tests.passed ?? "?"}/${tests.tests ?? "?"} passed` : "(not run)"}`,
        ...describeSatisfaction(satisfaction),
        ...describeGate(gate),
        ...(release ? [`  release   ${release} on main`] : []),
        ...(bolt.waiting
          ? [`  waiting   at ${bolt.waiting.node}: ${bolt.waiting.question.text}`]
          : []),
        ...(options.driver === "llm"
          ? [
              `  model     ${DEMO_MODEL} (the anthropic twin): ${spend.steps} calls, ${(spend.inputTokens + spend.outputTokens).toLocaleString("en")} tokens, $${spend.costUsd.toFixed(2)} at its list price`,
            ]
          : []),
        `  audit     ${audit.count} entries, ${audit.ok ? `intact, head ${head}` : "BROKEN"}`,
        "",
        "Next:",
        ...next,
      ].join("\n"),
    };
  } finally {
    await home.close();
    await model?.close();
  }
}

/** The policies' decision on the change, with each rule that fired. */
function describeGate(gate: Record<string, unknown> | undefined): string[] {
  if (!gate) return ["  gates     (not reached)"];
  const fired = gate.rules as { id: string; decision: string; message: string }[];
  const passed = gate.passed as string[];
  const risk = gate.risk as { level: string; declared: string; measured: string };
  return [
    `  gates     ${gate.decision}: ${passed.length} of ${passed.length + fired.length} rules passed, risk ${risk.level} (declared ${risk.declared}, measured ${risk.measured})`,
    ...fired.map((r) => `              ${r.decision} by ${r.id}: ${r.message}`),
  ];
}

/** Each scenarios run, and what the builders were told when one sent the bolt back. */
function describeSatisfaction(history: SatisfactionPoint[]): string[] {
  if (history.length === 0) return ["  scenarios (not run)"];
  const lines: string[] = [];
  for (const point of history) {
    const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
    lines.push(
      `  ${lines.length ? "         " : "scenarios"} ${point.passed ? "✓" : "✗"} visit ${point.visit}: ${pct(point.satisfaction)} of ${point.trajectories} trajectories satisfied (threshold ${pct(point.threshold)})`,
    );
    if (point.feedback)
      lines.push(
        "              back to build, the builders told only:",
        ...point.feedback
          .split("\n")
          .map((line) => `                ${line.length > 110 ? `${line.slice(0, 109)}…` : line}`),
      );
  }
  return lines;
}

/**
 * The builder's model for the offline demo: the anthropic twin, scripted with the example's
 * builder actions as a cassette, and factory.yaml's builder pointed at it. Everything after is
 * the real path: Anthropic's SDK, our provider adapter, the tool loop, budgets and the audit.
 */
async function serveDemoModel(root: string): Promise<ServedTwin> {
  const config = join(root, homeLayout.config);
  const document = parseDocument(readFileSync(config, "utf8"));
  const script = resolve(root, String(document.getIn(["agents", "builder", "script"])));
  const twin = createTwin(anthropicTwin, {
    seed: "demo",
    options: { cassette: cassetteFromScript(loadAgentScript(script)) },
  });
  const served = await twin.serve();
  document.setIn(
    ["agents", "builder"],
    document.createNode({
      driver: "llm",
      provider: "anthropic",
      model: DEMO_MODEL,
      base_url: served.url,
    }),
  );
  writeFileSync(config, document.toString());
  return served;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The demo's choice of risk, written into its own copy of the intent. */
function setRisk(file: string, risk: string): void {
  const text = readFileSync(file, "utf8");
  writeFileSync(file, text.replace(/^risk: \w+$/m, `risk: ${risk}`));
}

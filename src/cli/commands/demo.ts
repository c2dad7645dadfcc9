import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { countBySeverity, formatDiagnostic } from "../../common/index.js";
import { verifyAuditLog } from "../../governance/index.js";
import { homeLayout, initHome } from "../../home/index.js";
import { lintIntentFile } from "../../intent/index.js";
import { boltReport, runPipelineFile } from "../../pipeline/index.js";
import type { CliContext, CommandOutcome } from "../context.js";
import type { Register } from "../register.js";
import { describeEvent } from "./bolt.js";

export const registerDemo: Register = (program, run) => {
  program
    .command("demo")
    .description(
      "lay out the acme example home in a fresh folder and take its intent through what the factory does so far",
    )
    .option("--dir <dir>", "where to put the demo home (default: a new temporary folder)")
    .action((options: { dir?: string }, command: Command) =>
      run(command, (context) => demo(context, options.dir)),
    );
};

/**
 * What the factory can do today, end to end on the embedded store: lay out a home, check its
 * intents before any agent runs, run a pipeline as a journaled bolt, and prove the audit trail
 * of it all intact.
 */
async function demo(context: CliContext, dir: string | undefined): Promise<CommandOutcome> {
  const target = dir ? resolve(context.cwd, dir) : mkdtempSync(join(tmpdir(), "darkfactory-demo-"));
  const started = Date.now();
  context.progress(`▸ laying out the acme example home in ${target}`);
  const { root, product, home } = await initHome({
    dir: target,
    example: "acme",
    actor: context.actor,
    env: context.env,
  });
  try {
    const intentsDir = join(root, "intents");
    const intents = [];
    for (const name of readdirSync(intentsDir)
      .filter((n) => n.endsWith(".md"))
      .sort()) {
      context.progress(`▸ linting intents/${name}`);
      const result = await lintIntentFile(join(intentsDir, name));
      const counts = countBySeverity(result.diagnostics);
      for (const d of result.diagnostics) context.progress(`  ${formatDiagnostic(d)}`);
      await home.audit.append(context.actor, "intent.lint", `intent:${result.intent?.id ?? name}`, {
        file: `intents/${name}`,
        ...counts,
      });
      intents.push({
        file: `intents/${name}`,
        id: result.intent?.id ?? null,
        requirements: result.intent?.requirements.length ?? 0,
        ...counts,
      });
    }
    context.progress(
      "▸ running pipelines/preflight.dot (tool, parallel, fan-in and conditional nodes)",
    );
    const bolt = await runPipelineFile(home, join(root, "pipelines", "preflight.dot"), {
      actor: context.actor,
      env: context.env,
      onEvent: (event) => context.progress(`  ${describeEvent(event)}`),
    });
    const report = await boltReport(home, bolt.boltId);
    context.progress("▸ verifying the audit chain");
    const audit = await verifyAuditLog(home.store);
    const ok = audit.ok && bolt.status === "succeeded" && intents.every((i) => i.errors === 0);
    const head = audit.ok ? audit.head : undefined;
    return {
      exitCode: ok ? 0 : 1,
      json: {
        status: ok ? "succeeded" : "failed",
        home: root,
        product: product ?? null,
        store: join(root, homeLayout.stateDb),
        intents,
        bolt: bolt.boltId,
        boltStatus: bolt.status,
        nodes: report.nodes,
        audit: {
          entries: audit.count,
          head: head ? `${head.seq}:${head.hash}` : null,
          intact: audit.ok,
        },
        ms: Date.now() - started,
      },
      text: [
        `${ok ? "✓" : "✗"} demo ${ok ? "succeeded" : "failed"} in ${Date.now() - started} ms`,
        `  home      ${root}`,
        `  product   ${product ?? "(none)"}`,
        ...intents.map(
          (i) =>
            `  intent    ${i.file}: ${i.requirements} requirements, ${i.errors} errors, ${i.warnings} warnings`,
        ),
        `  bolt      ${bolt.boltId} ${bolt.status}: ${report.nodes.map((n) => `${n.id} ${n.status}`).join(", ")}`,
        `  audit     ${audit.count} entries, ${audit.ok ? `intact, head ${head?.seq}:${head?.hash}` : "BROKEN"}`,
        "",
        "Next:",
        `  npx factory intent lint examples/intents/vague-refunds.md   (an intent with planted ambiguity)`,
        `  npx factory status ${bolt.boltId} --home ${root}`,
        `  npx factory audit verify --home ${root}`,
        `  npx factory audit export --home ${root} --out audit.jsonl`,
      ].join("\n"),
    };
  } finally {
    await home.close();
  }
}

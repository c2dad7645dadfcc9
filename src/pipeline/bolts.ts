/**
 * Bolts as the CLI and the server drive them: start one from a pipeline file or an intent,
 * resume, cancel, and read its status from the journal. Each call opens nothing itself: it
 * takes an opened home. Answering a human gate is in answer-gate.ts; the engine both share
 * is in bolt-engine.ts.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../common/index.js";
import { authorize } from "../governance/index.js";
import type { AgentConfig, Home } from "../home/index.js";
import { lintIntent } from "../intent/index.js";
import { type BoltStatus, isFinished } from "../store/index.js";
import { type BoltRunOptions, continueBolt, engineFor, preparePipeline } from "./bolt-engine.js";
import type { BoltResult } from "./engine/engine.js";
import { BoltNotResumableError } from "./engine/engine-errors.js";
import { driverFor, plannerFor } from "./factory/drivers.js";

export function newBoltId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 13);
  return `b-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/** The default bolt (DESIGN §2), shipped with the package. */
export const DEFAULT_PIPELINE = fileURLToPath(new URL("../../pipelines/bolt.dot", import.meta.url));

/**
 * Starts a bolt over an intent: the default bolt unless `pipeline` names another graph. The
 * intent's path is part of the bolt (its seed), so a resume after a kill finds it again.
 */
export async function runIntent(
  home: Home,
  intentFile: string,
  options: BoltRunOptions & {
    pipeline?: string;
    /** The builder for this bolt, over factory.yaml's (`factory run --model`). */
    builder?: AgentConfig;
  },
): Promise<BoltResult> {
  await authorize(home, options.actor, "bolt.run", `intent:${intentFile}`);
  const path = resolve(intentFile);
  if (!existsSync(path) || statSync(path).isDirectory()) {
    throw new InputError("intent-not-found", `no intent file at ${path}`, {
      hint: "intents live in intents/<id>.md in the factory home, e.g. `factory run intents/refunds.md`",
    });
  }
  const shown = relative(home.root, path).startsWith("..") ? path : relative(home.root, path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError("intent-unreadable", `cannot read ${path}: ${(error as Error).message}`, {
      hint: "check the file's permissions",
    });
  }
  if (!options.pipeline) checkBoltPrerequisites(home, options.env ?? process.env, options.builder);
  const read = lintIntent(text, shown);
  return startPipeline(home, options.pipeline ?? DEFAULT_PIPELINE, {
    ...options,
    intentId: read.intent?.id ?? basename(path, ".md"),
    // The builder chosen on the command line is part of the bolt's seed, so a resume keeps it.
    context: {
      "factory.intent.file": shown,
      ...(options.builder ? { "factory.agents.builder": options.builder } : {}),
    },
  });
}

/**
 * What the default bolt needs from factory.yaml, checked before a bolt exists, so a missing
 * agent or test command is a usage error (exit 2) rather than a bolt failing halfway.
 */
function checkBoltPrerequisites(
  home: Home,
  env: NodeJS.ProcessEnv,
  builder: AgentConfig | undefined,
): void {
  plannerFor(home);
  driverFor(home, "builder", { env, ...(builder ? { config: builder } : {}) });
  if (!home.config.product.commands.test) {
    throw new InputError("no-test-command", "factory.yaml has no product.commands.test", {
      hint: "the bolt judges the build by the product's tests: set product.commands.test, e.g. `npm test`",
    });
  }
}

/** Starts a bolt over a pipeline file, as `options.actor`, who must be allowed to run bolts. */
export async function runPipelineFile(
  home: Home,
  file: string,
  options: BoltRunOptions & { intentId?: string; context?: Record<string, unknown> },
): Promise<BoltResult> {
  await authorize(home, options.actor, "bolt.run", `pipeline:${file}`);
  return startPipeline(home, file, options);
}

async function startPipeline(
  home: Home,
  file: string,
  options: BoltRunOptions & { intentId?: string; context?: Record<string, unknown> },
): Promise<BoltResult> {
  const path = resolve(file);
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(
      "pipeline-not-found",
      `cannot read the pipeline ${path}: ${(error as Error).message}`,
      {
        hint: "pass the path of a .dot file",
      },
    );
  }
  const { engine, registry } = engineFor(home, options);
  const graph = preparePipeline(source, path, registry);
  const shown = relative(home.root, path).startsWith("..") ? path : relative(home.root, path);
  return engine.start({
    boltId: newBoltId(),
    intentId: options.intentId ?? "",
    pipeline: shown,
    source,
    graph,
    ...(options.context ? { context: options.context } : {}),
  });
}

/** Continues a bolt from its journal, as `options.actor`, who must be allowed to resume bolts. */
export async function resumeBolt(
  home: Home,
  boltId: string,
  options: BoltRunOptions,
): Promise<BoltResult> {
  await authorize(home, options.actor, "bolt.resume", `bolt:${boltId}`);
  return continueBolt(home, boltId, options);
}

export async function cancelBolt(home: Home, boltId: string, actor: string): Promise<BoltStatus> {
  await authorize(home, actor, "bolt.cancel", `bolt:${boltId}`);
  const bolt = await home.store.getBolt(boltId);
  if (!bolt) throw new BoltNotResumableError(boltId, "unknown");
  if (isFinished(bolt.status)) {
    throw new InputError("bolt-finished", `bolt ${boltId} is already ${bolt.status}`, {
      hint: "there is nothing to cancel",
    });
  }
  await home.store.setBoltStatus(boltId, "cancelled");
  await home.audit.append(actor, "bolt.cancel", `bolt:${boltId}`, { was: bolt.status });
  return "cancelled";
}

/**
 * Bolts as the CLI and the server drive them: start one from a pipeline file, resume,
 * cancel, answer its human gate, and read its status from the journal. Each call opens
 * nothing itself: it takes an opened home.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../common/index.js";
import {
  authorize,
  castApprovalVote,
  quorumRequirement,
  sealAuditEntry,
  type VoteTally,
} from "../governance/index.js";
import type { AgentConfig, Home } from "../home/index.js";
import { lintIntent } from "../intent/index.js";
import { type BoltStatus, isFinished } from "../store/index.js";
import { createGit, createSandbox, detectSandbox, type Sandbox } from "../workspace/index.js";
import type { Checkpoint } from "./engine/checkpoint.js";
import { normalizeLabel } from "./engine/edge-selection.js";
import { type BoltResult, createEngine } from "./engine/engine.js";
import type { EngineEvent } from "./engine/engine-deps.js";
import { BoltNotResumableError } from "./engine/engine-errors.js";
import type { HandlerRegistry } from "./engine/handler.js";
import { leaseOwnerName } from "./engine/lease.js";
import { type Answer, type Question, SKIPPED } from "./engine/outcome.js";
import { driverFor, plannerFor } from "./factory/drivers.js";
import { createFactoryRegistry } from "./factory/factory-registry.js";
import { nodeType, type PipelineGraph } from "./graph.js";
import type { Interviewer } from "./handlers/interviewers.js";
import { createLocalExecutor, type ToolExecutor } from "./handlers/tool-executor.js";
import { loadPipeline, type PipelineDiagnostic } from "./load-pipeline.js";

export class PipelineInvalidError extends InputError {
  readonly diagnostics: PipelineDiagnostic[];
  constructor(file: string, diagnostics: PipelineDiagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    super(
      "pipeline-invalid",
      `${file} has ${errors} error${errors === 1 ? "" : "s"}; the bolt did not start`,
      {
        hint: "fix them; `factory pipeline validate <file>` lists them all",
      },
    );
    this.diagnostics = diagnostics;
  }
}

export interface BoltRunOptions {
  actor: string;
  onEvent?: (event: EngineEvent) => void;
  interviewer?: Interviewer;
  executor?: ToolExecutor;
  /** Replaces the default handlers (tests, and the factory's own `factory.*` handlers later). */
  registry?: HandlerRegistry;
  env?: NodeJS.ProcessEnv;
  /** Stops the run (Ctrl-C): the running command is killed and the bolt stays resumable. */
  signal?: AbortSignal;
  /** Test-only kill points; see EngineDeps.checkpointHook. */
  checkpointHook?: (point: string) => void;
  /** Where agents' commands and the product's tests run; default: the strongest this machine has. */
  sandbox?: Sandbox;
  /** Live lines from the factory's handlers (a builder at work, a test run) and warnings. */
  onProgress?: (line: string) => void;
}

function engineFor(home: Home, options: BoltRunOptions) {
  const env = options.env ?? process.env;
  let sandbox: Promise<Sandbox> | undefined;
  const registry =
    options.registry ??
    createFactoryRegistry(
      {
        home,
        env,
        actor: options.actor,
        // Made on first use, so a pipeline with no factory node never probes for bwrap.
        sandbox: () => {
          sandbox ??= options.sandbox
            ? Promise.resolve(options.sandbox)
            : openSandbox(env, options.onProgress);
          return sandbox;
        },
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.checkpointHook ? { checkpointHook: options.checkpointHook } : {}),
      },
      {
        executor: options.executor ?? createLocalExecutor(),
        redactor: home.redactor,
        ...(options.interviewer ? { interviewer: options.interviewer } : {}),
        ...(options.env ? { env: options.env } : {}),
      },
    );
  const engine = createEngine({
    store: home.store,
    audit: home.audit,
    redactor: home.redactor,
    registry,
    owner: leaseOwnerName(),
    actor: options.actor,
    runsDir: join(home.root, ".factory", "runs"),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.checkpointHook ? { checkpointHook: options.checkpointHook } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { engine, registry };
}

/** Parses and validates; refuses a graph with errors, or with nodes no registered handler can run. */
export function preparePipeline(
  source: string,
  file: string,
  registry: HandlerRegistry,
): PipelineGraph {
  const loaded = loadPipeline(source, file, { knownTypes: registry.types() });
  if (!loaded.ok || !loaded.graph) throw new PipelineInvalidError(file, loaded.diagnostics);
  const unrunnable = [...loaded.graph.nodes.values()].filter(
    (n) => !registry.types().has(nodeType(n)),
  );
  if (unrunnable.length > 0) {
    throw new InputError(
      "pipeline-needs-agents",
      `no handler can run ${unrunnable.map((n) => `${n.id} (${nodeType(n)})`).join(", ")}`,
      {
        hint: "agent (codergen) nodes need an agent driver, which comes with the agents issue; use tool, conditional, wait.human and parallel nodes for now",
      },
    );
  }
  return loaded.graph;
}

/** The strongest sandbox here; the weaker fallback is announced on every run that uses it. */
async function openSandbox(
  env: NodeJS.ProcessEnv,
  onProgress?: (line: string) => void,
): Promise<Sandbox> {
  // FACTORY_BWRAP names another bwrap binary (one outside PATH, or a wrapper).
  const options = env.FACTORY_BWRAP ? { bwrapPath: env.FACTORY_BWRAP } : {};
  const detection = await detectSandbox(options);
  if (detection.mode !== "bwrap") onProgress?.(`⚠ sandbox: ${detection.reason}`);
  return createSandbox(options);
}

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

/** Resumes without a check of its own: the caller authorised what led here (an approval). */
async function continueBolt(
  home: Home,
  boltId: string,
  options: BoltRunOptions,
): Promise<BoltResult> {
  const bolt = await home.store.getBolt(boltId);
  if (!bolt) throw new BoltNotResumableError(boltId, "unknown");
  const { engine, registry } = engineFor(home, options);
  return engine.resume(boltId, preparePipeline(bolt.source, bolt.pipeline, registry));
}

/** An answer at a gate: the bolt as it went on, or still waiting, with where the votes stand. */
export interface GateAnswer extends BoltResult {
  approvals: Pick<VoteTally, "outcome" | "approvals" | "needed">;
}

/**
 * Records a person's vote at a waiting human gate (DESIGN §8): authorised against the gate's
 * requirement (quorum, roles, the commit it judged) and separation of duties, audited in the
 * same transaction. A reject, or the approval that reaches the quorum, answers the gate and
 * continues the bolt in this process; an approval short of it leaves the bolt waiting. A label
 * that matches no choice is refused, listing the choices: a typo must never pick an edge.
 */
export async function answerGate(
  home: Home,
  boltId: string,
  nodeId: string,
  decision: { approve: boolean; label?: string; reason?: string },
  options: BoltRunOptions,
): Promise<GateAnswer> {
  const bolt = await home.store.getBolt(boltId);
  if (!bolt) throw new BoltNotResumableError(boltId, "unknown");
  const pending = (await home.store.listApprovals({ boltId, status: "pending" })).find(
    (a) => a.nodeId === nodeId,
  );
  const question = pending?.question as Question | undefined;
  if (!pending || !question || bolt.status !== "waiting") {
    throw new InputError(
      "no-pending-approval",
      `bolt ${boltId} is ${bolt.status}, not waiting for an answer at ${nodeId}`,
      {
        hint: `see where it is with \`factory status ${boltId}\``,
      },
    );
  }
  const answer = chosenAnswer(question, nodeId, decision, options.actor);
  const checkpoint = (await home.store.getCheckpoint(boltId)) as Checkpoint | undefined;
  const requirement = quorumRequirement(checkpoint?.context ?? {});
  const tally = await castApprovalVote(home, {
    boltId,
    nodeId,
    visit: pending.visit,
    principal: options.actor,
    decision: decision.approve ? "approve" : "reject",
    author: await boltAuthor(home, boltId, bolt.createdBy),
    requirement,
    head: requirement.commit ? await integrationHead(home, boltId) : "",
    ...(decision.reason ? { reason: decision.reason } : {}),
  });
  const approvals = { outcome: tally.outcome, approvals: tally.approvals, needed: tally.needed };
  if (tally.outcome === "pending") {
    return {
      boltId,
      status: "waiting",
      outcome: {
        status: "retry",
        notes: `${tally.approvals} of ${tally.needed} approvals at ${nodeId}; waiting for more`,
      },
      waiting: { node: nodeId, question },
      context: checkpoint?.context ?? {},
      completed: checkpoint?.completed ?? [],
      approvals,
    };
  }
  const event = {
    actor: options.actor,
    action: decision.approve ? "approval.approve" : "approval.reject",
    subject: `bolt:${boltId}/${nodeId}`,
    data: {
      choice: decision.approve ? answer.value : null,
      reason: decision.reason ?? null,
      voters: tally.votes.map((v) => v.principal),
    },
  };
  await home.store.answerApproval(boltId, nodeId, home.redactor.redact(answer), options.actor, {
    drafts: home.audit.prepare([event]),
    seal: sealAuditEntry,
  });
  return { ...(await continueBolt(home, boltId, options)), approvals };
}

function chosenAnswer(
  question: Question,
  nodeId: string,
  decision: { approve: boolean; label?: string; reason?: string },
  actor: string,
): Answer {
  if (!decision.approve)
    return { value: SKIPPED, text: decision.reason ?? "rejected", answered_by: actor };
  const wanted = decision.label;
  const option =
    wanted === undefined
      ? question.options[0]
      : question.options.find(
          (o) =>
            o.key.toLowerCase() === wanted.toLowerCase() ||
            normalizeLabel(o.label) === normalizeLabel(wanted),
        );
  if (!option) {
    throw new InputError("unknown-choice", `"${wanted}" is not a choice at ${nodeId}`, {
      hint: `choose one of: ${question.options.map((o) => `"${o.label}" (${o.key})`).join(", ")}`,
    });
  }
  return { value: option.key, answered_by: actor };
}

/** Who started the bolt: recorded with it, or, for bolts older than that, its `bolt.start` entry. */
async function boltAuthor(home: Home, boltId: string, createdBy: string): Promise<string> {
  if (createdBy) return createdBy;
  const subject = `bolt:${boltId}`;
  for (let after = 0; ; ) {
    const page = await home.store.readAudit({ afterSeq: after, limit: 1_000 });
    const start = page.find((e) => e.action === "bolt.start" && e.subject === subject);
    if (start) return start.actor;
    const last = page.at(-1);
    if (!last) return "";
    after = last.seq;
  }
}

/** The integration branch's head now, or empty if the branch is gone. */
async function integrationHead(home: Home, boltId: string): Promise<string> {
  const git = createGit({ repo: home.config.product.repo });
  return (await git.revParse(`refs/heads/factory/${boltId}/integration`)) ?? "";
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

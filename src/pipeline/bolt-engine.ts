/**
 * The engine a bolt runs on, as both starting and answering a bolt need it: the factory's
 * handlers over an opened home, its sandbox made on first use, and a pipeline checked before
 * it runs. Kept apart from bolts.ts so the answer gate can continue a bolt without a cycle.
 */
import { join } from "node:path";
import { InputError } from "../common/index.js";
import type { Home } from "../home/index.js";
import { createSandbox, detectSandbox, type Sandbox } from "../workspace/index.js";
import { type BoltResult, createEngine } from "./engine/engine.js";
import type { EngineEvent } from "./engine/engine-deps.js";
import { BoltNotResumableError } from "./engine/engine-errors.js";
import type { HandlerRegistry } from "./engine/handler.js";
import { leaseOwnerName } from "./engine/lease.js";
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

/** The engine and handler registry for one run of a bolt, as `options.actor`. */
export function engineFor(home: Home, options: BoltRunOptions) {
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

/** Resumes without a check of its own: the caller authorised what led here (an approval). */
export async function continueBolt(
  home: Home,
  boltId: string,
  options: BoltRunOptions,
): Promise<BoltResult> {
  const bolt = await home.store.getBolt(boltId);
  if (!bolt) throw new BoltNotResumableError(boltId, "unknown");
  const { engine, registry } = engineFor(home, options);
  return engine.resume(boltId, preparePipeline(bolt.source, bolt.pipeline, registry));
}

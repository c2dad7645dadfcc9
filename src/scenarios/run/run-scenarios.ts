/**
 * The scenario runner: every scenario, `repeat` times under each fault profile it lists, against
 * the product built from a worktree, with its twins on loopback. Two isolation modes: `fresh`
 * starts twins and product for every trajectory; `reused` keeps one product per lane and gives
 * each trajectory fresh twins (new seed, empty journal) and its own generated identities.
 */
import type { Agent } from "node:http";
import { dirname, resolve } from "node:path";
import { type FaultProfile, loadFaultProfile, type TwinDefinition } from "../../twins/index.js";
import type { Sandbox } from "../../workspace/index.js";
import type { ScenarioBrowser } from "../browser/scenario-browser.js";
import type { SatisfactionReport, StepRecord, Trajectory } from "../report.js";
import { scoreSatisfaction } from "../satisfaction.js";
import type { Scenario } from "../scenario-schema.js";
import { createHttpAgent } from "./http-client.js";
import { generateInputs } from "./inputs.js";
import {
  createProductSetup,
  ProductSetupError,
  type RunningProduct,
  startProduct,
} from "./product.js";
import { runSteps } from "./steps.js";
import { openTwinSet, type TwinSet } from "./twin-set.js";
import { ExpectationFailure } from "./values.js";

export type IsolationMode = "fresh" | "reused";

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

/** The evaluator's judgement of a satisfied trajectory's outputs against the scenario's rubric. */
export type RubricJudge = (
  scenario: Scenario,
  steps: StepRecord[],
) => Promise<{ verdict: "satisfied" | "unsatisfied"; reasons: string }>;

export interface ScenarioRunOptions {
  scenarios: readonly LoadedScenario[];
  /** Files that could not be loaded: reported, and the run goes on without them. */
  problems?: SatisfactionReport["problems"];
  twins: ReadonlyMap<string, TwinDefinition<unknown>>;
  worktree: string;
  sandbox: Sandbox;
  /** Trajectories per scenario and fault profile. Default 1. */
  repeat?: number;
  /** Trajectories (fresh) or lanes (reused) at once. Default 2. */
  parallel?: number;
  isolation?: IsolationMode;
  threshold: number;
  /** Every trajectory's seed derives from it. Default "darkfactory". */
  seed?: string;
  browser?: () => Promise<ScenarioBrowser>;
  judge?: RubricJudge;
  /** Applied to every observation and message before it is kept. */
  redact?: <T>(value: T) => T;
  onTrajectory?: (trajectory: Trajectory) => void;
  signal?: AbortSignal;
}

export interface ScenarioRun {
  report: SatisfactionReport;
  trajectories: Trajectory[];
}

/** One trajectory to run: which scenario, which fault profile, which seed. */
interface Planned {
  loaded: LoadedScenario;
  index: number;
  seed: string;
  faultsName: string;
  faults: Record<string, FaultProfile | undefined>;
  twinSeeds: Record<string, string>;
}

export async function runScenarios(options: ScenarioRunOptions): Promise<ScenarioRun> {
  const problems = [...(options.problems ?? [])];
  const planned: Planned[] = [];
  const runnable: LoadedScenario[] = [];
  for (const loaded of options.scenarios) {
    try {
      planned.push(...planTrajectories(loaded, options.repeat ?? 1, options.seed ?? "darkfactory"));
      runnable.push(loaded);
    } catch (error) {
      problems.push({ file: loaded.file, message: (error as Error).message });
    }
  }
  const setup = createProductSetup(options.sandbox, options.worktree, options.signal);
  const trajectories: Trajectory[] = [];
  const keep = (trajectory: Trajectory) => {
    const kept = options.redact ? options.redact(trajectory) : trajectory;
    trajectories.push(kept);
    options.onTrajectory?.(kept);
  };
  const parallel = Math.max(1, options.parallel ?? 2);
  if ((options.isolation ?? "fresh") === "fresh") {
    await pool(planned, parallel, async (plan) => keep(await runFresh(plan, options, setup)));
  } else {
    // A lane serves one scenario's trajectories at a time: its product runs that scenario's start.
    for (const loaded of runnable) {
      const own = planned.filter((p) => p.loaded === loaded);
      const lanes = Array.from({ length: Math.min(parallel, own.length) }, () => [] as Planned[]);
      for (const [i, plan] of own.entries()) lanes[i % lanes.length]?.push(plan);
      await Promise.all(lanes.map((lane) => runLane(lane, options, setup, keep)));
    }
  }
  trajectories.sort(
    (a, b) =>
      a.scenario.localeCompare(b.scenario) || a.faults.localeCompare(b.faults) || a.index - b.index,
  );
  return {
    report: scoreSatisfaction(
      runnable.map((l) => l.scenario),
      trajectories,
      options.threshold,
      problems,
    ),
    trajectories,
  };
}

function planTrajectories(loaded: LoadedScenario, repeat: number, base: string): Planned[] {
  const { scenario, file } = loaded;
  // `none`, then each profile a twin lists: one twin misbehaving at a time.
  const variants: { name: string; faults: Record<string, FaultProfile | undefined> }[] = [
    { name: "none", faults: {} },
  ];
  for (const twin of scenario.twins)
    for (const profile of twin.faults)
      if (profile !== "none")
        variants.push({
          name: `${twin.name}:${profile}`,
          faults: { [twin.name]: loadFaultProfile(resolve(dirname(file), profile)) },
        });
  const planned: Planned[] = [];
  let index = 0;
  for (const variant of variants)
    for (let i = 0; i < repeat; i++) {
      const seed = `${base}/${scenario.id}/${variant.name}/${i}`;
      const twinSeeds = Object.fromEntries(
        scenario.twins.map((t) => [
          t.name,
          t.seed === "fixed" ? `${scenario.id}/${t.name}` : `${seed}/${t.name}`,
        ]),
      );
      planned.push({
        loaded,
        index: index++,
        seed,
        faultsName: variant.name,
        faults: variant.faults,
        twinSeeds,
      });
    }
  return planned;
}

type Setup = ReturnType<typeof createProductSetup>;

async function runFresh(
  plan: Planned,
  options: ScenarioRunOptions,
  setup: Setup,
): Promise<Trajectory> {
  const started = performance.now();
  const { scenario } = plan.loaded;
  let twins: TwinSet | undefined;
  let product: RunningProduct | undefined;
  const agent = createHttpAgent();
  try {
    await setup(scenario.product);
    twins = await openTwinSet(
      options.twins,
      scenario.twins.map((t) => t.name),
      plan.twinSeeds,
      plan.faults,
    );
    const inputs = generateInputs(scenario.inputs, plan.seed);
    product = await launch(options, scenario, twins, inputs);
    return await finish(plan, options, started, twins, product, inputs, agent);
  } catch (error) {
    return failedBeforeSteps(plan, started, error);
  } finally {
    agent.destroy();
    await product?.stop();
    await twins?.close();
  }
}

async function runLane(
  lane: Planned[],
  options: ScenarioRunOptions,
  setup: Setup,
  keep: (t: Trajectory) => void,
): Promise<void> {
  const first = lane[0];
  if (!first) return;
  const { scenario } = first.loaded;
  let twins: TwinSet | undefined;
  let product: RunningProduct | undefined;
  const agent = createHttpAgent();
  try {
    for (const plan of lane) {
      const started = performance.now();
      try {
        await setup(scenario.product);
        if (!twins)
          twins = await openTwinSet(
            options.twins,
            scenario.twins.map((t) => t.name),
            plan.twinSeeds,
            plan.faults,
          );
        else twins.reset(plan.twinSeeds, plan.faults);
        const inputs = generateInputs(scenario.inputs, plan.seed);
        // A product that died with the last trajectory is started again for the next.
        if (product?.exited()) {
          await product.stop();
          product = undefined;
        }
        product ??= await launch(options, scenario, twins, inputs);
        keep(await finish(plan, options, started, twins, product, inputs, agent));
      } catch (error) {
        keep(failedBeforeSteps(plan, started, error));
      }
    }
  } finally {
    agent.destroy();
    await product?.stop();
    await twins?.close();
  }
}

function launch(
  options: ScenarioRunOptions,
  scenario: Scenario,
  twins: TwinSet,
  inputs: Record<string, unknown>,
): Promise<RunningProduct> {
  return startProduct({
    sandbox: options.sandbox,
    worktree: options.worktree,
    product: scenario.product,
    twinUrls: twins.urls,
    vars: inputs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

async function finish(
  plan: Planned,
  options: ScenarioRunOptions,
  started: number,
  twins: TwinSet,
  product: RunningProduct,
  inputs: Record<string, unknown>,
  agent: Agent,
): Promise<Trajectory> {
  const { scenario } = plan.loaded;
  const steps = await runSteps(
    scenario.steps,
    { ...inputs },
    {
      productUrl: product.url,
      twins,
      sandbox: options.sandbox,
      worktree: options.worktree,
      agent,
      ...(options.browser ? { browser: options.browser } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  const failed = steps.find((s) => !s.ok);
  const trajectory: Trajectory = {
    scenario: scenario.id,
    index: plan.index,
    seed: plan.seed,
    faults: plan.faultsName,
    verdict: failed ? "unsatisfied" : "satisfied",
    ms: 0,
    steps,
  };
  if (failed?.failure) {
    trajectory.failure = { step: failed.index, ...failed.failure };
    if (failed.failure.kind === "product_unreachable" && product.exited())
      trajectory.failure.message += `; the product had exited: ${product.output().slice(-600)}`;
  } else if (scenario.rubric && options.judge) {
    trajectory.rubric = await options.judge(scenario, steps);
    if (trajectory.rubric.verdict === "unsatisfied") trajectory.verdict = "unsatisfied";
  }
  trajectory.ms = Math.round(performance.now() - started);
  return trajectory;
}

function failedBeforeSteps(plan: Planned, started: number, error: unknown): Trajectory {
  const kind =
    error instanceof ExpectationFailure
      ? error.kind
      : error instanceof ProductSetupError
        ? "product_not_ready"
        : "scenario_error";
  return {
    scenario: plan.loaded.scenario.id,
    index: plan.index,
    seed: plan.seed,
    faults: plan.faultsName,
    verdict: "unsatisfied",
    ms: Math.round(performance.now() - started),
    steps: [],
    failure: { step: -1, kind, message: (error as Error).message },
  };
}

/** Runs `work` over `items`, at most `limit` at once. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A home's scenarios against one worktree, as `factory scenarios run` and the bolt run them. */
import { join } from "node:path";
import type { Home } from "../home/index.js";
import { availableTwins } from "../twins/index.js";
import type { Sandbox } from "../workspace/index.js";
import { openScenarioBrowser, type ScenarioBrowser } from "./browser/scenario-browser.js";
import { loadScenarios, scenarioFiles } from "./load-scenarios.js";
import type { Trajectory } from "./report.js";
import { copyProduct } from "./run/product-copy.js";
import {
  type IsolationMode,
  type RubricJudge,
  runScenarios,
  type ScenarioRun,
} from "./run/run-scenarios.js";

export interface HomeScenarioOptions {
  /** The product's worktree; it is copied, never changed. */
  worktree: string;
  sandbox: Sandbox;
  /** Scenario files or folders; default the home's `scenarios/`. */
  paths?: string[];
  repeat?: number;
  parallel?: number;
  isolation?: IsolationMode;
  seed?: string;
  /** Default factory.yaml's `scenarios.threshold`. */
  threshold?: number;
  judge?: RubricJudge;
  onTrajectory?: (trajectory: Trajectory) => void;
  signal?: AbortSignal;
}

export async function runHomeScenarios(
  home: Home,
  options: HomeScenarioOptions,
): Promise<ScenarioRun> {
  const files = scenarioFiles(options.paths ?? [join(home.root, "scenarios")]);
  const twins = await availableTwins(home.root);
  const loaded = loadScenarios(files, { twins: [...twins.keys()] });
  const config = home.config.scenarios;
  const copy = await copyProduct(options.worktree);
  let browser: Promise<ScenarioBrowser> | undefined;
  try {
    return await runScenarios({
      scenarios: loaded.scenarios,
      problems: loaded.problems,
      twins,
      worktree: copy.path,
      sandbox: options.sandbox,
      repeat: options.repeat ?? config.repeat,
      parallel: options.parallel ?? config.parallel,
      isolation: options.isolation ?? config.isolation,
      threshold: options.threshold ?? config.threshold,
      ...(options.seed ? { seed: options.seed } : {}),
      // Chromium starts only for a run that has browser steps.
      browser: () => {
        browser ??= openScenarioBrowser();
        return browser;
      },
      redact: (value) => home.redactor.redact(value),
      ...(options.judge ? { judge: options.judge } : {}),
      ...(options.onTrajectory ? { onTrajectory: options.onTrajectory } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    await (await browser?.catch(() => undefined))?.close();
    await copy.remove();
  }
}

/** Holdout scenarios: the format and its linter, the runner, and satisfaction. */
export { openScenarioBrowser, type ScenarioBrowser } from "./browser/scenario-browser.js";
export {
  lintScenarioFiles,
  type ScenarioLintOptions,
  type ScenarioLintResult,
} from "./lint-scenarios.js";
export { type LoadedScenarios, loadScenarios, scenarioFiles } from "./load-scenarios.js";
export type {
  FailureKind,
  SatisfactionReport,
  SatisfactionSummary,
  ScenarioResult,
  StepRecord,
  Trajectory,
} from "./report.js";
export {
  type IsolationMode,
  type LoadedScenario,
  type RubricJudge,
  runScenarios,
  type ScenarioRun,
  type ScenarioRunOptions,
} from "./run/run-scenarios.js";
export { type HomeScenarioOptions, runHomeScenarios } from "./run-home-scenarios.js";
export {
  DEFAULT_THRESHOLD,
  describeForBuilders,
  scoreSatisfaction,
  summarizeForBuilders,
} from "./satisfaction.js";
export { type Scenario, type ScenarioStep, scenarioSchema } from "./scenario-schema.js";

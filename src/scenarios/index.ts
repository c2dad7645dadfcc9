/** Holdout scenarios: the format, and its linter. The runner and satisfaction come next. */
export {
  lintScenarioFiles,
  type ScenarioLintOptions,
  type ScenarioLintResult,
} from "./lint-scenarios.js";
export { type Scenario, type ScenarioStep, scenarioSchema } from "./scenario-schema.js";

/** Scenario files from paths, checked: the runnable ones, and why each of the others is not. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic, InputError } from "../common/index.js";
import { lintScenarioFiles, type ScenarioLintOptions } from "./lint-scenarios.js";
import type { SatisfactionReport } from "./report.js";
import type { LoadedScenario } from "./run/run-scenarios.js";

/** Files named, and the `*.yaml` of folders named (not their subfolders: fault profiles live there). */
export function scenarioFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (!existsSync(path))
      throw new InputError("scenario-not-found", `no scenario file or folder at ${path}`, {
        hint: "scenarios live in the home's scenarios/ as *.yaml",
      });
    if (!statSync(path).isDirectory()) return [path];
    const found = readdirSync(path)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(path, name));
    if (found.length === 0)
      throw new InputError("no-scenarios", `${path} holds no scenario files (*.yaml)`, {
        hint: "write one per user trajectory; see the README's Scenarios section",
      });
    return found;
  });
}

export interface LoadedScenarios {
  scenarios: LoadedScenario[];
  /** Files with errors, each with its first error: the run goes on without them. */
  problems: SatisfactionReport["problems"];
}

export function loadScenarios(
  files: readonly string[],
  options: ScenarioLintOptions,
): LoadedScenarios {
  const loaded: LoadedScenarios = { scenarios: [], problems: [] };
  for (const result of lintScenarioFiles(files, options)) {
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    if (result.scenario && errors.length === 0)
      loaded.scenarios.push({ file: result.file, scenario: result.scenario });
    else
      loaded.problems.push({
        file: result.file,
        message: errors.map((d) => formatDiagnostic(d)).join("\n") || "the scenario is unusable",
      });
  }
  return loaded;
}

/**
 * Reads scenario files and checks them before any runs: the schema, then what a schema cannot
 * see (a twin that does not exist, a variable used before anything sets it, an id used twice,
 * a requirement no intent has). Every problem names its file, line and column.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  type Diagnostic,
  type LocatedYaml,
  parseLocatedYaml,
  zodIssuesToDiagnostics,
} from "../common/index.js";
import { type Scenario, type ScenarioStep, scenarioSchema } from "./scenario-schema.js";

export interface ScenarioLintResult {
  file: string;
  scenario?: Scenario;
  diagnostics: Diagnostic[];
}

export interface ScenarioLintOptions {
  /** Twins that can be served (built in and the home's own). */
  twins: readonly string[];
  /** Requirement ids of the home's intents; absent: not checked. */
  requirements?: ReadonlySet<string>;
}

const VARIABLE = /\{\{\s*([^}\s]+)\s*\}\}/g;

export function lintScenarioFiles(
  files: readonly string[],
  options: ScenarioLintOptions,
): ScenarioLintResult[] {
  const results = files.map((file) => lintOne(file, options));
  const seen = new Map<string, string>();
  for (const result of results) {
    const id = result.scenario?.id;
    if (!id) continue;
    const first = seen.get(id);
    if (first)
      result.diagnostics.push({
        rule: "duplicate-id",
        severity: "error",
        message: `scenario id "${id}" is also used by ${first}`,
        file: result.file,
        line: 1,
        column: 1,
        path: "id",
        hint: "give each scenario an id of its own",
      });
    else seen.set(id, result.file);
  }
  return results;
}

function lintOne(file: string, options: ScenarioLintOptions): ScenarioLintResult {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (error) {
    return {
      file,
      diagnostics: [
        {
          rule: "unreadable",
          severity: "error",
          message: `cannot read the scenario: ${(error as Error).message}`,
          file,
          line: 1,
          column: 1,
        },
      ],
    };
  }
  const located = parseLocatedYaml(source, file);
  if (located.syntaxIssues.length > 0) return { file, diagnostics: located.syntaxIssues };
  const parsed = scenarioSchema.safeParse(located.value ?? {});
  if (!parsed.success)
    return {
      file,
      diagnostics: zodIssuesToDiagnostics(parsed.error.issues, located, scenarioSchema),
    };
  const scenario = parsed.data;
  return { file, scenario, diagnostics: checkMeaning(scenario, located, options) };
}

function checkMeaning(
  scenario: Scenario,
  located: LocatedYaml,
  options: ScenarioLintOptions,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const at = (
    path: (string | number)[],
    rule: string,
    message: string,
    hint?: string,
    severity: Diagnostic["severity"] = "error",
  ) =>
    found.push({
      rule,
      severity,
      message,
      file: located.file,
      ...located.locate(path),
      path: path.join("."),
      ...(hint ? { hint } : {}),
    });

  const listed = new Set(scenario.twins.map((t) => t.name));
  for (const [index, twin] of scenario.twins.entries())
    if (!options.twins.includes(twin.name))
      at(
        ["twins", index, "name"],
        "unknown-twin",
        `no twin named ${twin.name}`,
        `the twins here: ${options.twins.join(", ")}`,
      );
  for (const [index, twin] of scenario.twins.entries())
    for (const [at_, profile] of twin.faults.entries())
      if (profile !== "none" && !existsSync(resolve(dirname(located.file), profile)))
        at(
          ["twins", index, "faults", at_],
          "fault-profile-missing",
          `no fault profile at ${profile}`,
          "name a YAML file of fault rules, relative to this scenario, or none",
        );
  if (options.requirements)
    for (const [index, id] of scenario.requirements.entries())
      if (!options.requirements.has(id))
        at(
          ["requirements", index],
          "unknown-requirement",
          `no intent in this home has a requirement ${id}`,
          "name requirement ids from the intents this scenario checks",
          "warning",
        );

  // Variables: inputs, twin URLs and the product's port from the start, captures from the
  // step that makes them.
  const known = new Set([
    "product.port",
    ...Object.keys(scenario.inputs),
    ...[...listed].map((name) => `twins.${name}.url`),
  ]);
  const checkText = (value: unknown, path: (string | number)[]) => {
    for (const [key, inner] of walk(value, path)) {
      for (const match of inner.matchAll(VARIABLE)) {
        const name = match[1] ?? "";
        if (!known.has(name))
          at(
            key,
            "unknown-variable",
            `{{${name}}} is not set here`,
            name.startsWith("twins.")
              ? "list the twin under twins: first"
              : "set it with an input, or capture it in an earlier step",
          );
      }
    }
  };
  checkText(scenario.product.env, ["product", "env"]);
  checkText(scenario.product.ready, ["product", "ready"]);
  for (const [index, step] of scenario.steps.entries()) {
    const path = ["steps", index];
    checkText(stepTexts(step), path);
    for (const twin of stepTwins(step))
      if (!listed.has(twin))
        at(
          step.wait ? [...path, "wait", "until", "twin", "twin"] : [...path, "twin", "twin"],
          "twin-not-listed",
          `the step uses twin ${twin}, which the scenario does not list`,
          "add it under twins:",
        );
    for (const name of Object.keys({ ...step.http?.capture, ...step.twin?.capture }))
      known.add(name);
  }
  return found;
}

/** What of a step may hold `{{variables}}`: everything but its expectations' matchers. */
function stepTexts(step: ScenarioStep): unknown {
  const request = (http: NonNullable<ScenarioStep["http"]>) => ({
    path: http.path,
    headers: http.headers,
    body: http.body,
  });
  if (step.http) return { http: request(step.http) };
  if (step.cli) return { cli: { command: step.cli.command, stdin: step.cli.stdin } };
  if (step.browser) return { browser: step.browser };
  if (step.twin?.request) return { twin: { request: step.twin.request } };
  if (step.wait?.until.http) return { wait: { until: { http: request(step.wait.until.http) } } };
  return {};
}

function stepTwins(step: ScenarioStep): string[] {
  if (step.twin) return [step.twin.twin];
  if (step.wait?.until.twin) return [step.wait.until.twin.twin];
  return [];
}

/** Every string inside a value, with its path. */
function* walk(
  value: unknown,
  path: (string | number)[],
): Generator<[(string | number)[], string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value))
    for (const [index, inner] of value.entries()) yield* walk(inner, [...path, index]);
  else if (value && typeof value === "object")
    for (const [key, inner] of Object.entries(value)) yield* walk(inner, [...path, key]);
}

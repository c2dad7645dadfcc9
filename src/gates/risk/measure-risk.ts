/**
 * The risk a change carries by its blast radius alone: protected and infrastructure paths,
 * size, new dependencies (worse with install scripts), weakened tests. The facts can raise
 * the intent's declared risk, never lower it.
 */
import type { ChangeFacts, RiskFacts, RiskLevel } from "../facts/change-facts.js";
import { isTestPath } from "../facts/index.js";
import { maxRisk } from "./risk-levels.js";

const DOCS = /(^|\/)(docs?\/.*|[^/]*\.(md|mdx|txt|rst|adoc))$/i;

export interface RiskThresholds {
  /** More lines of code changed (added plus deleted; tests and docs aside) than this is high risk. */
  highLines: number;
  /** More files changed than this is high risk. */
  highFiles: number;
  mediumLines: number;
  mediumFiles: number;
}

export const defaultRiskThresholds: RiskThresholds = {
  highLines: 800,
  highFiles: 40,
  mediumLines: 200,
  mediumFiles: 10,
};

/** Paths named one by one in reasons before the rest are counted. */
const NAMED = 5;

/**
 * Measure a change's risk and combine it with the declared one.
 * @param declared the intent's risk, "" outside a bolt.
 */
export function measureRisk(
  facts: Omit<ChangeFacts, "risk">,
  declared: "" | RiskLevel,
  thresholds: Partial<RiskThresholds> = {},
): RiskFacts {
  const t = { ...defaultRiskThresholds, ...thresholds };
  const high: string[] = [];
  const medium: string[] = [];
  const { change, dependencies, tests } = facts;

  high.push(...named("touches protected path", "protected paths", change.protected));
  high.push(...named("touches infrastructure path", "infrastructure paths", change.infrastructure));
  // Tests and docs widen no blast radius: a change is not riskier for being well tested.
  const code = change.files.filter((f) => !isTestPath(f.path) && !DOCS.test(f.path));
  const lines = code.reduce((sum, f) => sum + f.additions + f.deletions, 0);
  const files = change.files.length;
  if (lines > t.highLines) high.push(`${lines} lines of code changed (more than ${t.highLines})`);
  else if (lines > t.mediumLines)
    medium.push(`${lines} lines of code changed (more than ${t.mediumLines})`);
  if (files > t.highFiles) high.push(`${files} files changed (more than ${t.highFiles})`);
  else if (files > t.mediumFiles)
    medium.push(`${files} files changed (more than ${t.mediumFiles})`);

  const scripted = dependencies.added.filter((d) => d.registry.install_scripts.length > 0);
  for (const d of scripted) {
    high.push(
      `adds dependency ${d.name} with install scripts (${d.registry.install_scripts.join(", ")})`,
    );
  }
  const plain = dependencies.added.filter((d) => d.registry.install_scripts.length === 0);
  if (plain.length > 0) {
    medium.push(
      `adds ${plain.length === 1 ? "dependency" : "dependencies"} ${plain.map((d) => d.name).join(", ")}`,
    );
  }
  if (tests.weakened) medium.push("weakens or deletes tests");

  const measured: RiskLevel = high.length > 0 ? "high" : medium.length > 0 ? "medium" : "low";
  return {
    declared,
    measured,
    level: maxRisk(declared, measured),
    reasons: [...high, ...medium],
  };
}

function named(what: string, plural: string, paths: readonly string[]): string[] {
  const shown = paths.slice(0, NAMED).map((p) => `${what} ${p}`);
  if (paths.length > NAMED) shown.push(`and ${paths.length - NAMED} more ${plural}`);
  return shown;
}

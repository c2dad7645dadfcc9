/**
 * Facts about a change that touches nothing: every list empty, every check clean, risk low.
 * Tests start from it and set only the facts they are about.
 */
import type { ChangeFacts, DependencyFacts } from "../facts/change-facts.js";
import { noTestFacts } from "../facts/test-facts.js";

export function emptyFacts(): ChangeFacts {
  return {
    change: {
      base: "",
      head: "",
      files: [],
      added: [],
      modified: [],
      deleted: [],
      paths: [],
      lines_added: 0,
      lines_deleted: 0,
      protected: [],
      infrastructure: [],
    },
    tests: noTestFacts(),
    dependencies: { added: [], removed: [], changed: [], lock_added: [] },
    secrets: [],
    analysis: { present: false, passed: true, checks: [] },
    architecture: { present: false, violations: [] },
    scenarios: {
      present: false,
      satisfaction: 0,
      threshold: 0,
      satisfied: true,
      must_pass_failed: [],
    },
    evaluation: { present: false, verdict: "" },
    cost: { present: false, usd: 0, tokens: 0 },
    risk: { declared: "", measured: "low", level: "low", reasons: [] },
  };
}

/** An added dependency the registry knows well: old, popular, no scripts, no advisories. */
export function cleanDependency(name: string): DependencyFacts {
  return {
    name,
    spec: "^1.0.0",
    dev: false,
    similar_to: "",
    distance: 0,
    registry: {
      checked: true,
      error: "",
      exists: true,
      version: "1.0.0",
      age_days: 2000,
      version_age_days: 400,
      weekly_downloads: 1_000_000,
      install_scripts: [],
      advisories: [],
      max_severity: "",
    },
  };
}

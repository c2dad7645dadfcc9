/**
 * Architecture facts: the product's imports judged by dependency-cruiser against the rules in
 * the factory home (`policies/architecture.json`, in dependency-cruiser's own rule format).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ICruiseResult, IFlattenedRuleSet } from "dependency-cruiser";
import { InputError, WorkError } from "../../common/index.js";
import type { ArchitectureFacts, ArchitectureViolation } from "../facts/change-facts.js";

export interface CheckArchitectureOptions {
  /** Folders or files to cruise, relative to the worktree. Default `src` if it exists, else `.`. */
  paths?: string[];
}

// What the gate reads of a dependency-cruiser configuration. `options` and `extends` are
// refused rather than ignored: they could name webpack, babel or other JS files to load, and
// a rule file the gate read only half of would be a policy silently ignored.
const RULE_KEYS = new Set(["$schema", "forbidden", "allowed", "allowedSeverity", "required"]);

/**
 * Cruises the worktree's sources and reports every rule violation. dependency-cruiser only
 * parses and resolves: no configuration of the product (tsconfig, webpack, babel) is loaded
 * and none of its code runs. No rules file: `present: false`. A rules file that is not JSON or
 * not a valid rule set is an InputError naming the file and the problem.
 */
export async function checkArchitecture(
  worktree: string,
  rulesFile: string | undefined,
  options: CheckArchitectureOptions = {},
): Promise<ArchitectureFacts> {
  if (!rulesFile || !existsSync(rulesFile)) return { present: false, violations: [] };
  const ruleSet = readRuleSet(rulesFile);
  // Loaded here, not at the top: it takes over a second, and most commands never cruise.
  const { cruise } = await import("dependency-cruiser");
  try {
    // Validation first, on nothing: a bad rule is the home's mistake, not a failed cruise.
    await cruise([], { validate: true, ruleSet, baseDir: worktree });
  } catch (error) {
    throw invalid(rulesFile, error instanceof Error ? error.message.trim() : String(error));
  }
  const paths = options.paths ?? [existsSync(join(worktree, "src")) ? "src" : "."];
  let result: ICruiseResult;
  try {
    const reported = await cruise(paths, {
      validate: true,
      ruleSet,
      baseDir: worktree,
      exclude: { path: "(^|/)(node_modules|\\.git)(/|$)" },
      doNotFollow: { path: "(^|/)node_modules(/|$)" },
      // Type-only imports cross layers too.
      tsPreCompilationDeps: true,
    });
    result = reported.output as ICruiseResult;
  } catch (error) {
    throw new WorkError(
      "architecture-cruise-failed",
      `dependency-cruiser could not read the product's sources in ${worktree}: ${error instanceof Error ? error.message.trim() : String(error)}`,
      { cause: error },
    );
  }
  const violations: ArchitectureViolation[] = result.summary.violations
    .filter((v) => v.rule.severity !== "ignore")
    .map((v) => ({ rule: v.rule.name, severity: v.rule.severity, from: v.from, to: v.to }));
  return { present: true, violations };
}

function readRuleSet(rulesFile: string): IFlattenedRuleSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(rulesFile, "utf8"));
  } catch (error) {
    throw invalid(rulesFile, `it is not JSON (${error instanceof Error ? error.message : error})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw invalid(rulesFile, "it must be an object with forbidden, allowed or required rules");
  const unknown = Object.keys(parsed).filter((key) => !RULE_KEYS.has(key));
  if (unknown.length > 0)
    throw invalid(
      rulesFile,
      `it has ${unknown.map((k) => `"${k}"`).join(", ")}; only forbidden, allowed, allowedSeverity and required are read`,
    );
  const { $schema: _, ...rules } = parsed as Record<string, unknown>;
  return rules as IFlattenedRuleSet;
}

function invalid(rulesFile: string, problem: string): InputError {
  return new InputError(
    "architecture-rules-invalid",
    `${rulesFile} is not a valid architecture rule set: ${problem}`,
    {
      hint: 'write dependency-cruiser 17 rules, e.g. { "forbidden": [{ "name": "no-routes-to-db", "severity": "error", "from": { "path": "^src/routes" }, "to": { "path": "^src/db" } }] }',
    },
  );
}

/**
 * The gate: every fact about one change, judged by the policies. Decisions come from the
 * rules engine only (DESIGN §8); this file gathers the facts and hands them over.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, WorkError } from "../common/index.js";
import type { FactoryConfig } from "../home/index.js";
import type { Sandbox } from "../workspace/index.js";
import { runAnalysis } from "./analysis/index.js";
import { checkArchitecture } from "./architecture/index.js";
import type {
  ChangeFacts,
  CostFacts,
  EvaluationFacts,
  RiskLevel,
  ScenarioFacts,
} from "./facts/change-facts.js";
import { collectGitFacts } from "./facts/index.js";
import { inspectDependencies } from "./registry/index.js";
import { measureRisk } from "./risk/index.js";
import {
  emptyFacts,
  evaluatePolicies,
  type GateDecision,
  loadPolicies,
  type PolicyIssue,
  type RuleResult,
} from "./rules/index.js";

export interface CheckChangeOptions {
  /** The repository the change is in. */
  repo: string;
  base: string;
  head: string;
  gates: FactoryConfig["gates"];
  /** Policy files, each judged; none means nothing is denied (the caller says so). */
  policies: string[];
  /** dependency-cruiser rules (`policies/architecture.json`), when the home has them. */
  architectureRules?: string | undefined;
  /**
   * The head checked out with its dependencies installed (a bolt's integration worktree):
   * where static analysis runs. Without it, analysis is not measured.
   */
  worktree?: string | undefined;
  /** Runs the analysis commands confined; required with `worktree` when commands are configured. */
  sandbox?: (() => Promise<Sandbox>) | undefined;
  /** What a bolt measured of the change before its gate. */
  measured?: {
    scenarios?: ScenarioFacts;
    evaluation?: EvaluationFacts;
    cost?: CostFacts;
  };
  /** The intent's declared risk, which the facts can raise and never lower. */
  declaredRisk?: RiskLevel | undefined;
  fetch?: typeof fetch;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface GateReport {
  base: string;
  head: string;
  decision: GateDecision["decision"];
  rules: RuleResult[];
  facts: ChangeFacts;
  /** Facts that could not be read (a malformed package.json at head, ...), for people to see. */
  problems: string[];
  policies: string[];
}

/** A policy file the gate cannot load: the check stops, since a skipped policy would be a lie. */
export class PolicyInvalidError extends InputError {
  readonly issues: PolicyIssue[];
  constructor(issues: PolicyIssue[]) {
    const lines = issues.map(
      (i) => `${i.file}:${i.line}:${i.column}${i.rule ? ` rule ${i.rule}` : ""}: ${i.message}`,
    );
    super("policy-invalid", `the gate's policies do not load:\n  ${lines.join("\n  ")}`, {
      hint: "fix the policy file; a policy that does not load is never skipped",
    });
    this.issues = issues;
  }
}

export async function checkChange(options: CheckChangeOptions): Promise<GateReport> {
  // What a change outside a bolt has of the bolt's own measures: none, `present: false`.
  const unmeasured = emptyFacts();
  const loaded = loadPolicies(options.policies);
  if (!loaded.ok) throw new PolicyInvalidError(loaded.issues);
  const git = await collectGitFacts(options.repo, options.base, options.head, {
    protectedPaths: options.gates.protectedPaths,
    infrastructurePaths: options.gates.infrastructurePaths,
  });
  const added = await inspectDependencies(git.dependencies.added, {
    registry: options.gates.registry,
    downloads: options.gates.downloads,
    timeoutMs: options.gates.registryTimeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const analysis =
    options.worktree && Object.keys(options.gates.commands).length > 0
      ? await runAnalysis(options.worktree, options.gates.commands, {
          sandbox: await requireSandbox(options.sandbox),
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : unmeasured.analysis;
  const architecture =
    options.architectureRules && existsSync(options.architectureRules)
      ? await withTree(options, (tree) => checkArchitecture(tree, options.architectureRules))
      : unmeasured.architecture;
  const unrisked = {
    change: git.change,
    tests: git.tests,
    dependencies: { ...git.dependencies, added },
    secrets: git.secrets,
    analysis,
    architecture,
    scenarios: options.measured?.scenarios ?? unmeasured.scenarios,
    evaluation: options.measured?.evaluation ?? unmeasured.evaluation,
    cost: options.measured?.cost ?? unmeasured.cost,
  };
  const facts: ChangeFacts = {
    ...unrisked,
    risk: measureRisk(unrisked, options.declaredRisk ?? ""),
  };
  const decision = evaluatePolicies(loaded.policies, facts);
  return {
    base: git.change.base,
    head: git.change.head,
    decision: decision.decision,
    rules: decision.rules,
    facts,
    problems: git.problems,
    policies: options.policies,
  };
}

async function requireSandbox(sandbox: CheckChangeOptions["sandbox"]): Promise<Sandbox> {
  if (!sandbox)
    throw new WorkError("analysis-needs-sandbox", "static analysis needs a sandbox to run in");
  return sandbox();
}

/** The worktree when there is one, else the head's files exported to a temporary folder. */
async function withTree<T>(
  options: CheckChangeOptions,
  fn: (tree: string) => Promise<T>,
): Promise<T> {
  if (options.worktree) return fn(options.worktree);
  const dir = mkdtempSync(join(tmpdir(), "factory-gate-"));
  try {
    await exportTree(options.repo, options.head, dir);
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `git archive <rev> | tar -x`: the files of a commit, without its history or its hooks. */
async function exportTree(repo: string, rev: string, dir: string): Promise<void> {
  const archive = spawn(
    "git",
    ["-c", "core.hooksPath=/dev/null", "-C", repo, "archive", "--format=tar", rev],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const tar = spawn("tar", ["-x", "-C", dir], { stdio: ["pipe", "ignore", "pipe"] });
  archive.stdout.pipe(tar.stdin);
  let stderr = "";
  for (const child of [archive, tar])
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
  const exited = (child: ChildProcess) =>
    new Promise<number | null>((done, fail) => {
      child.on("error", fail);
      child.on("close", done);
    });
  const [a, t] = await Promise.all([exited(archive), exited(tar)]);
  if (a !== 0 || t !== 0)
    throw new WorkError("gate-export", `could not export ${rev} of ${repo}: ${stderr.trim()}`);
}

/** What the factory's own handlers (`factory.*`) need: the home, a sandbox and somewhere to report. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Home } from "../../home/index.js";
import type { Sandbox } from "../../workspace/index.js";

export interface FactoryDeps {
  home: Home;
  /** Runs agents' commands and the product's tests; made on first use (detecting bwrap takes a probe). */
  sandbox: () => Promise<Sandbox>;
  /** The factory's environment; only allow-listed variables of it reach any command. */
  env: NodeJS.ProcessEnv;
  /** The principal recorded for the orchestrator's own actions. */
  actor: string;
  /** One line of live progress (stderr in the CLI). */
  onProgress?: (line: string) => void;
  /** Test-only kill points after each side effect: `effect:<kind>:<name>`. */
  checkpointHook?: (point: string) => void;
}

/** Keys of the bolt's context the factory's handlers share. */
export const ctx = {
  intentFile: "factory.intent.file",
  intent: "factory.intent",
  risk: "factory.risk",
  approve: (stage: string) => `factory.approve.${stage}`,
  tasks: "factory.plan.tasks",
  attempts: "factory.build.attempts",
  built: "factory.build.tasks",
  integrationHead: "factory.integration.head",
  feedback: "factory.test.feedback",
  testPassed: "factory.test.passed",
  testSummary: "factory.test.summary",
  testedCommit: "factory.test.commit",
  /** The scenarios' sanitized summary (a SatisfactionSummary), written by factory.scenarios. */
  satisfaction: "factory.scenarios.summary",
  /** `yes` when factory.yaml names an evaluator, so the default bolt runs factory.evaluate. */
  evaluate: "factory.evaluate.enabled",
  /** The evaluator's verdict, `approve` or `request_changes`; empty when it could not judge. */
  verdict: "factory.evaluate.verdict",
  changedFiles: "factory.gates.changed_files",
  /** What approvals the release gate needs (a QuorumRequirement), set by factory.gates. */
  approvalRequirement: "factory.approval.requirement",
  releaseCommit: "factory.release.commit",
  releaseAuditHead: "factory.release.audit_head",
} as const;

/** Writes one artifact into a node's folder under the bolt's run folder. */
export function writeArtifact(stageDir: string, name: string, content: string): void {
  mkdirSync(stageDir, { recursive: true });
  writeFileSync(join(stageDir, name), content);
}

/** The audit subject of everything that happens in one node of a bolt; `factory logs` reads by it. */
export const nodeSubject = (boltId: string, nodeId: string) => `bolt:${boltId}/${nodeId}`;

/** A line of command output that says what failed: a test runner's `not ok`, an error. */
export const FAILURE_LINE = /^\s*not ok\b|\b(Error|FAIL|failed)\b/;

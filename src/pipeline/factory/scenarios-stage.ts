/**
 * `factory.scenarios`: the home's holdout scenarios against the integration branch, after the
 * tests (DESIGN §6). The full report stays with the factory (an artifact, the audit log);
 * below the threshold, the builders hear only which requirement failed, its text, and the
 * kind of failure.
 */

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { AuditLog } from "../../governance/index.js";
import type { Home } from "../../home/index.js";
import {
  describeForBuilders,
  runHomeScenarios,
  type SatisfactionReport,
  summarizeForBuilders,
} from "../../scenarios/index.js";
import type { Handler } from "../engine/handler.js";
import { readBoltLog } from "./bolt-log.js";
import { boltWorkspace } from "./bolt-workspace.js";
import { ctx, type FactoryDeps, nodeSubject, writeArtifact } from "./factory-deps.js";
import { rubricJudgeFor } from "./rubric-judge.js";

interface IntentInContext {
  requirements: { id: string; statement: string }[];
  satisfaction?: number;
}

export function createScenariosHandler(deps: FactoryDeps): Handler {
  return {
    async execute({ context, boltId, node, stageDir, signal, visit }) {
      const intent = context.get(ctx.intent) as IntentInContext | undefined;
      if (!intent)
        return {
          status: "fail",
          failure_reason: "factory.scenarios needs factory.intake before it",
        };
      if (!hasScenarios(deps.home.root)) {
        deps.onProgress?.(
          "    - scenarios: none in scenarios/, so nothing holds the build to its intent but its tests",
        );
        return { status: "success", notes: "no holdout scenarios in the home's scenarios/" };
      }
      const ws = boltWorkspace(deps.home, boltId, deps.env, deps.onProgress);
      const { path } = await ws.ensureIntegration();
      const commit = await ws.git.revParse(ws.integrationBranch);
      const threshold = intent.satisfaction ?? deps.home.config.scenarios.threshold;
      const run = await runHomeScenarios(deps.home, {
        worktree: path,
        sandbox: await deps.sandbox(),
        threshold,
        // Each bolt's own seeds: a product that passed once meets new inputs next time.
        seed: `${boltId}/${visit}`,
        signal,
        ...judgeFor(deps, boltId, signal),
      });
      const { report } = run;
      writeArtifact(
        stageDir,
        `satisfaction.visit-${visit}.json`,
        `${JSON.stringify(report, null, 2)}\n`,
      );
      writeArtifact(
        stageDir,
        `trajectories.visit-${visit}.json`,
        `${JSON.stringify(run.trajectories, null, 2)}\n`,
      );
      const summary = summarizeForBuilders(report);
      const statements = new Map(intent.requirements.map((r) => [r.id, r.statement]));
      const feedback = report.passed ? undefined : describeForBuilders(summary, statements);
      await recordSatisfaction(deps.home.audit, deps.actor, nodeSubject(boltId, node.id), {
        report,
        visit,
        ...(commit ? { commit } : {}),
        ...(feedback ? { feedback } : {}),
      });
      const line = `${(report.satisfaction * 100).toFixed(1)}% of ${report.trajectories} trajectories (threshold ${(threshold * 100).toFixed(1)}%)`;
      deps.onProgress?.(
        `    ${report.passed ? "✓" : "✗"} scenarios: ${line}${report.must_pass_failed.length ? `, must-pass failed: ${report.must_pass_failed.length}` : ""}`,
      );
      if (report.passed)
        return {
          status: "success",
          notes: `satisfied: ${line}`,
          context_updates: { [ctx.satisfaction]: summary },
        };
      const problems = report.problems.length
        ? `; ${report.problems.length} scenario file(s) could not run (see the scenarios artifact)`
        : "";
      return {
        status: "fail",
        failure_reason: `holdout scenarios unsatisfied: ${line}${report.must_pass_failed.length ? `, ${report.must_pass_failed.length} must-pass scenario(s) failed` : ""}${problems}`,
        context_updates: {
          [ctx.satisfaction]: summary,
          [ctx.feedback]: feedback,
        },
      };
    },
  };
}

function judgeFor(deps: FactoryDeps, boltId: string, signal: AbortSignal) {
  const judge = rubricJudgeFor(deps.home, { env: deps.env, boltId, signal });
  return judge ? { judge } : {};
}

function hasScenarios(home: string): boolean {
  const folder = join(home, "scenarios");
  return existsSync(folder) && readdirSync(folder).some((name) => /\.ya?ml$/.test(name));
}

export interface SatisfactionPoint {
  at: string;
  visit: number;
  commit: string | null;
  satisfaction: number;
  threshold: number;
  passed: boolean;
  trajectories: number;
  feedback: string | null;
}

/** Each scenarios run of a bolt, oldest first: its satisfaction history. */
export async function satisfactionHistory(
  home: Home,
  boltId: string,
): Promise<SatisfactionPoint[]> {
  return (await readBoltLog(home, boltId))
    .filter((entry) => entry.action === "scenarios.satisfaction")
    .map((entry) => ({
      at: entry.ts,
      visit: Number(entry.data.visit),
      commit: (entry.data.commit as string | null) ?? null,
      satisfaction: Number(entry.data.satisfaction),
      threshold: Number(entry.data.threshold),
      passed: entry.data.passed === true,
      trajectories: Number(entry.data.trajectories),
      feedback: (entry.data.feedback as string | null) ?? null,
    }));
}

/** One audit record per run: the satisfaction history of a bolt, for the dashboard to plot. */
async function recordSatisfaction(
  audit: AuditLog,
  actor: string,
  subject: string,
  run: { report: SatisfactionReport; visit: number; commit?: string; feedback?: string },
): Promise<void> {
  const { report } = run;
  await audit.append(actor, "scenarios.satisfaction", subject, {
    visit: run.visit,
    commit: run.commit ?? null,
    /** What the builders were told, when the bolt went back to them. */
    feedback: run.feedback ?? null,
    satisfaction: report.satisfaction,
    threshold: report.threshold,
    passed: report.passed,
    trajectories: report.trajectories,
    must_pass_failed: report.must_pass_failed,
    scenarios: report.scenarios.map((s) => ({
      id: s.id,
      satisfaction: s.satisfaction,
      trajectories: s.trajectories,
    })),
    requirements: report.requirements,
    problems: report.problems.length,
  });
}

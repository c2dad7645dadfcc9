/**
 * What a bolt knows about its change before the gate: which commits bound it, and what its
 * scenarios, evaluator and model calls measured. `factory.gates` and `factory gate check --bolt`
 * both judge a bolt from this.
 */
import { existsSync } from "node:fs";
import type { CheckChangeOptions, RiskLevel } from "../../gates/index.js";
import type { Home } from "../../home/index.js";
import { readBoltLog } from "./bolt-log.js";
import { boltIntegrationPath, boltWorkspace } from "./bolt-workspace.js";
import { spendOf } from "./drivers.js";
import { ctx } from "./factory-deps.js";

export type BoltGateInputs = Pick<
  CheckChangeOptions,
  "repo" | "base" | "head" | "worktree" | "measured" | "declaredRisk"
>;

/** `context` is the bolt's run context (live in a handler, from the checkpoint otherwise). */
export async function boltGateInputs(
  home: Home,
  boltId: string,
  context: Record<string, unknown>,
): Promise<BoltGateInputs> {
  const ws = boltWorkspace(home, boltId, process.env);
  const main = home.config.product.mainBranch;
  const released = context[ctx.releaseCommit];
  const tested = context[ctx.testedCommit];
  const head =
    typeof released === "string"
      ? `${released}^2`
      : typeof tested === "string"
        ? tested
        : ws.integrationBranch;
  // After release, main holds the change: judge it against main as it was before the merge.
  const base = typeof released === "string" ? `${released}^1` : main;
  const log = await readBoltLog(home, boltId);
  const lastScenarios = log.filter((e) => e.action === "scenarios.satisfaction").at(-1);
  const spend = spendOf(log);
  const worktree = boltIntegrationPath(home, boltId);
  const risk = context[ctx.risk];
  const measured: NonNullable<CheckChangeOptions["measured"]> = {
    cost: {
      present: true,
      usd: spend.costUsd,
      tokens: spend.inputTokens + spend.outputTokens,
    },
  };
  if (lastScenarios)
    measured.scenarios = {
      present: true,
      satisfaction: Number(lastScenarios.data.satisfaction),
      threshold: Number(lastScenarios.data.threshold),
      satisfied: lastScenarios.data.passed === true,
      must_pass_failed: (lastScenarios.data.must_pass_failed as string[] | undefined) ?? [],
    };
  if (context[ctx.evaluate] === "yes")
    measured.evaluation = {
      present: true,
      verdict: typeof context[ctx.verdict] === "string" ? (context[ctx.verdict] as string) : "",
    };
  return {
    repo: home.config.product.repo,
    base,
    head,
    ...(existsSync(worktree) ? { worktree } : {}),
    measured,
    ...(risk === "low" || risk === "medium" || risk === "high"
      ? { declaredRisk: risk as RiskLevel }
      : {}),
  };
}

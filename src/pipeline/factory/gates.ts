/**
 * `factory.gates`: the policy engine judges every fact about the bolt's change (DESIGN §8).
 * A deny fails the bolt; an approval the policies ask for, or the change's measured risk,
 * opens the release gate with a quorum bound to the commit that was judged.
 */
import { basename, join } from "node:path";
import { InputError } from "../../common/index.js";
import {
  checkChange,
  describeGateReport,
  type GateReport,
  homePolicies,
} from "../../gates/index.js";
import type { QuorumRequirement } from "../../governance/index.js";
import type { Home } from "../../home/index.js";
import type { Handler } from "../engine/handler.js";
import { ctx, type FactoryDeps, nodeSubject, writeArtifact } from "./factory-deps.js";
import { boltGateInputs } from "./gate-inputs.js";

export function createGatesHandler(deps: FactoryDeps): Handler {
  return {
    async execute({ boltId, node, context, stageDir, visit, signal }) {
      const inputs = await boltGateInputs(deps.home, boltId, context.snapshot());
      let report: GateReport;
      try {
        report = await checkChange({
          ...inputs,
          gates: deps.home.config.gates,
          policies: homePolicies(deps.home.root),
          architectureRules: join(deps.home.root, "policies", "architecture.json"),
          sandbox: deps.sandbox,
          signal,
        });
      } catch (error) {
        // A policy or architecture rule that does not load is the home's to fix; the bolt
        // fails saying so rather than judging by fewer rules.
        if (!(error instanceof InputError)) throw error;
        return { status: "fail", failure_reason: error.message };
      }
      writeArtifact(stageDir, `gate-report.visit-${visit}.json`, JSON.stringify(report, null, 2));
      const requirement = approvalRequirement(deps.home, report);
      await deps.home.audit.append(deps.actor, "gate.decide", nodeSubject(boltId, node.id), {
        decision: report.decision,
        base: report.base,
        head: report.head,
        risk: report.facts.risk,
        approval: requirement,
        policies: report.policies,
        rules: report.rules.filter((r) => r.fired || r.error),
        passed: report.rules.filter((r) => !r.fired && !r.error).map((r) => r.id),
      });
      const fired = report.rules.filter((r) => r.fired || r.error).length;
      deps.onProgress?.(
        `    ${report.decision === "allow" ? "✓" : report.decision === "deny" ? "✗" : "?"} ${report.decision}: ${report.rules.length - fired} of ${report.rules.length} rules passed (${report.policies.map((p) => basename(p)).join(", ")})`,
      );
      for (const line of describeGateReport(report, { passed: false }))
        deps.onProgress?.(`    ${line}`);
      const files = report.facts.change.paths;
      if (report.decision === "deny") {
        const denied = report.rules.filter((r) => r.decision === "deny" && (r.fired || r.error));
        return {
          status: "fail",
          failure_reason: `denied by ${denied.map((r) => `${r.id} (${r.error ?? r.message})`).join(", ")}`,
          context_updates: { [ctx.changedFiles]: files },
        };
      }
      return {
        status: "success",
        notes: `${report.decision}, risk ${report.facts.risk.level}${requirement.count > 0 ? `, ${requirement.count} approval(s) by ${requirement.roles.join("/")}` : ""}`,
        context_updates: {
          [ctx.changedFiles]: files,
          [ctx.approve("release")]: requirement.count > 0 ? "yes" : "no",
          [ctx.approvalRequirement]: requirement,
        },
      };
    },
  };
}

/**
 * The quorum follows the risk level the facts raised the intent to; a rule that asks for a
 * person gets at least one, even at a level whose quorum is zero.
 */
function approvalRequirement(home: Home, report: GateReport): QuorumRequirement {
  const level = report.facts.risk.level;
  const quorum = home.config.risk.quorum[level];
  const stages = home.config.risk.approvals[level] ?? (level === "low" ? [] : ["release"]);
  const gated = stages.includes("release") ? quorum.count : 0;
  const count = report.decision === "require_approval" ? Math.max(1, quorum.count) : gated;
  return { level, count, roles: quorum.roles, commit: report.head };
}

/** `factory gate check --bolt`: the same judgement as the bolt's gate, from its checkpoint. */
export async function checkBoltGate(
  home: Home,
  boltId: string,
  options: { sandbox?: FactoryDeps["sandbox"]; policies?: string[]; fetch?: typeof fetch } = {},
): Promise<GateReport> {
  const checkpoint = (await home.store.getCheckpoint(boltId)) as
    | { context?: Record<string, unknown> }
    | undefined;
  if (!checkpoint)
    throw new InputError("unknown-bolt", `there is no bolt ${boltId} in ${home.root}`, {
      hint: "`factory runs` lists the bolts",
    });
  const inputs = await boltGateInputs(home, boltId, checkpoint.context ?? {});
  return checkChange({
    ...inputs,
    gates: home.config.gates,
    policies: options.policies ?? homePolicies(home.root),
    architectureRules: join(home.root, "policies", "architecture.json"),
    ...(options.sandbox ? { sandbox: options.sandbox } : { worktree: undefined }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

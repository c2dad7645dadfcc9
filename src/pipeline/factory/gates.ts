/**
 * `factory.gates`, a placeholder until the policy engine: the change must have passed the
 * product's tests on the integration branch, and must change something.
 */
import type { Handler } from "../engine/handler.js";
import { boltWorkspace } from "./bolt-workspace.js";
import { ctx, type FactoryDeps, nodeSubject } from "./factory-deps.js";

export function createGatesHandler(deps: FactoryDeps): Handler {
  return {
    async execute({ boltId, node, context }) {
      const ws = boltWorkspace(deps.home, boltId, deps.env);
      const main = deps.home.config.product.mainBranch;
      // What was tested is what will be released; judge that.
      const tested = context.get(ctx.testedCommit);
      const target = typeof tested === "string" ? tested : ws.integrationBranch;
      const diff = await ws.git.run(["diff", "--name-only", `${main}...${target}`], {
        allowFail: true,
      });
      const files = diff.code === 0 ? diff.stdout.split("\n").filter(Boolean) : [];
      const checks = [
        {
          gate: "tests-passed",
          allowed: context.get(ctx.testPassed) === true,
          reason:
            context.get(ctx.testPassed) === true
              ? "the product's tests passed on the integration branch"
              : "the product's tests have not passed on the integration branch",
        },
        {
          gate: "diff-not-empty",
          allowed: files.length > 0,
          reason:
            files.length > 0
              ? `${files.length} files changed`
              : "the integration branch changes nothing on main",
        },
      ];
      await deps.home.audit.append(deps.actor, "gate.decide", nodeSubject(boltId, node.id), {
        checks,
      });
      const denied = checks.filter((c) => !c.allowed);
      for (const c of checks)
        deps.onProgress?.(`    ${c.allowed ? "✓" : "✗"} ${c.gate}: ${c.reason}`);
      if (denied.length > 0) {
        return {
          status: "fail",
          failure_reason: `denied by ${denied.map((c) => `${c.gate} (${c.reason})`).join(", ")}`,
        };
      }
      return {
        status: "success",
        notes: checks.map((c) => `${c.gate}: ${c.reason}`).join("; "),
        context_updates: { [ctx.changedFiles]: files },
      };
    },
  };
}

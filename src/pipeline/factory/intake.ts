/**
 * `factory.intake`: the intent is linted before any agent runs, and a bolt with errors in
 * its intent stops here. The accepted intent is copied into the bolt's context, so an edit
 * to the file while the bolt runs changes nothing of it.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { formatDiagnostic } from "../../common/index.js";
import { lintIntent } from "../../intent/index.js";
import { createGit } from "../../workspace/index.js";
import type { Handler } from "../engine/handler.js";
import { ctx, type FactoryDeps, nodeSubject } from "./factory-deps.js";

/** Stages of the default bolt that have an approval gate in front of them. */
const GATED_STAGES = ["plan", "release"] as const;

export function createIntakeHandler(deps: FactoryDeps): Handler {
  return {
    async execute({ context, boltId, node }) {
      const given = context.get(ctx.intentFile);
      if (typeof given !== "string" || given === "") {
        return {
          status: "fail",
          failure_reason:
            "this bolt has no intent: start it with `factory run <intent.md>` to use factory.intake",
        };
      }
      const file = isAbsolute(given) ? given : join(deps.home.root, given);
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        return {
          status: "fail",
          failure_reason: `cannot read the intent ${given}: ${(error as Error).message}`,
        };
      }
      const lint = lintIntent(text, given);
      const errors = lint.diagnostics.filter((d) => d.severity === "error");
      const warnings = lint.diagnostics.filter((d) => d.severity === "warning");
      const sha256 = createHash("sha256").update(text).digest("hex");
      await deps.home.audit.append(deps.actor, "intent.intake", nodeSubject(boltId, node.id), {
        file: given,
        sha256,
        errors: errors.length,
        warnings: warnings.length,
      });
      if (!lint.intent || errors.length > 0) {
        return {
          status: "fail",
          failure_reason: `the intent has ${errors.length} error${errors.length === 1 ? "" : "s"}; fix them and start a new bolt:\n${errors
            .slice(0, 10)
            .map(formatDiagnostic)
            .join("\n")}`,
        };
      }
      const intent = lint.intent;
      const { repo, mainBranch } = deps.home.config.product;
      const productProblem = await checkProduct(repo, mainBranch);
      if (productProblem) return { status: "fail", failure_reason: productProblem };
      const { approvals } = deps.home.config.risk;
      // Without a rule in factory.yaml, anything above low risk waits before release.
      const gated = approvals[intent.risk] ?? (intent.risk === "low" ? [] : ["release"]);
      return {
        status: "success",
        notes: `intent ${intent.id}: ${intent.requirements.length} requirements, risk ${intent.risk}${
          warnings.length ? `, ${warnings.length} warnings` : ""
        }`,
        context_updates: {
          [ctx.intent]: {
            id: intent.id,
            title: intent.title,
            goal: intent.goal,
            risk: intent.risk,
            requirements: intent.requirements.map((r) => ({ id: r.id, statement: r.statement })),
            ...(intent.satisfaction !== undefined ? { satisfaction: intent.satisfaction } : {}),
            sha256,
          },
          [ctx.risk]: intent.risk,
          // The default bolt asks the evaluator only where factory.yaml names one.
          [ctx.evaluate]: deps.home.config.agents.evaluator ? "yes" : "no",
          ...Object.fromEntries(
            GATED_STAGES.map((stage) => [ctx.approve(stage), gated.includes(stage) ? "yes" : "no"]),
          ),
        },
      };
    },
  };
}

/** The product must be a git repository with its main branch, before any agent is started. */
async function checkProduct(repo: string, mainBranch: string): Promise<string | undefined> {
  try {
    if (await createGit({ repo }).revParse(`refs/heads/${mainBranch}`)) return undefined;
    return `the product at ${repo} has no branch ${mainBranch}: set product.main_branch in factory.yaml`;
  } catch (error) {
    return `${(error as Error).message}: set product.repo in factory.yaml`;
  }
}

/**
 * `factory.release`: one merge commit of the integration branch into the product's main
 * branch, with trailers `Bolt`, `Intent` and `Audit-Head`. The commit is made without
 * touching any working tree (`git merge-tree`), and main moves by a compare-and-swap, so
 * a release happens exactly once even when a resumed bolt gets here again. A checkout of
 * main in the product's own folder is brought along when it has no local changes.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Handler } from "../engine/handler.js";
import { type BoltWorkspace, boltWorkspace } from "./bolt-workspace.js";
import { ctx, type FactoryDeps, nodeSubject } from "./factory-deps.js";
import { writeReleaseProvenance } from "./release-provenance.js";

export function createReleaseHandler(deps: FactoryDeps): Handler {
  return {
    sideEffect: true,
    async execute({ boltId, node, context, stageDir }) {
      const ws = boltWorkspace(deps.home, boltId, deps.env);
      const { git } = ws;
      const main = deps.home.config.product.mainBranch;
      const intent = (context.get(ctx.intent) as { id?: string } | undefined)?.id ?? "";
      const mainRef = `refs/heads/${main}`;

      const released = await git.findCommitTrailers(mainRef, { Bolt: boltId, Intent: intent });
      let commit = released?.commit;
      let auditHead = released?.trailers["Audit-Head"] ?? "";
      if (!commit) {
        // Release exactly what was tested: the integration branch as the test stage saw it,
        // on top of main as the bolt found it.
        const tested = context.get(ctx.testedCommit);
        const integration = await git.revParse(ws.integrationBranch);
        const before = await git.revParse(mainRef);
        if (typeof tested !== "string" || !integration || !before) {
          return { status: "fail", failure_reason: "nothing tested to release (factory.test)" };
        }
        if (integration !== tested) {
          return {
            status: "fail",
            failure_reason: `${ws.integrationBranch} moved after it was tested (tested ${tested.slice(0, 8)}, now ${integration.slice(0, 8)}); start a new bolt`,
          };
        }
        const ancestor = await git.run(["merge-base", "--is-ancestor", before, tested], {
          allowFail: true,
        });
        if (ancestor.code !== 0) {
          return {
            status: "fail",
            failure_reason: `${main} moved since the bolt branched (it is now ${before.slice(0, 8)}), so what was tested is not what would be released; start a new bolt from the current ${main}`,
          };
        }
        const head = await deps.home.store.auditHead();
        auditHead = head ? `${head.seq}:${head.hash}` : "0:";
        const title = (context.get(ctx.intent) as { title?: string } | undefined)?.title ?? intent;
        const message = `Release ${intent}: ${title}\n\nMerges ${ws.integrationBranch}.\n\nBolt: ${boltId}\nIntent: ${intent}\nAudit-Head: ${auditHead}\n`;
        const made = await git.run([
          "commit-tree",
          `${tested}^{tree}`,
          "-p",
          before,
          "-p",
          tested,
          "-m",
          message,
        ]);
        commit = made.stdout.trim();
        // Compare-and-swap: only if main is still where the bolt found it.
        const moved = await git.run(
          ["update-ref", "-m", `release ${boltId}`, mainRef, commit, before],
          { allowFail: true },
        );
        if (moved.code !== 0) {
          return {
            status: "fail",
            failure_reason: `${main} moved while releasing; start a new bolt from the current ${main}`,
          };
        }
        deps.checkpointHook?.("effect:release");
        deps.onProgress?.(
          `    ⇢ ${main} is now ${commit.slice(0, 8)} (Audit-Head ${auditHead.slice(0, 20)}…)`,
        );
      }
      // Once, including after a kill between moving main and recording it.
      const subject = nodeSubject(boltId, node.id);
      if (!(await releaseRecorded(deps, subject, auditHead)))
        await deps.home.audit.append(deps.actor, "release.merge", subject, {
          commit,
          main,
          auditHead,
        });
      const provenance = await writeReleaseProvenance(deps, boltId, node.id, stageDir);
      const synced = await syncCheckout(ws, main, commit);
      return {
        status: "success",
        notes: `${main} at ${commit}${synced ? "" : "; the product's checkout has local changes and was left as it was"}; ${provenance}`,
        context_updates: { [ctx.releaseCommit]: commit, [ctx.releaseAuditHead]: auditHead },
      };
    },
  };
}

/** Whether the audit log holds this release's entry: after the Audit-Head the commit names. */
async function releaseRecorded(
  deps: FactoryDeps,
  subject: string,
  auditHead: string,
): Promise<boolean> {
  const afterSeq = Number(auditHead.split(":")[0]) || 0;
  const entries = await deps.home.store.readAudit({ afterSeq, limit: Number.MAX_SAFE_INTEGER });
  return entries.some((e) => e.action === "release.merge" && e.subject === subject);
}

/**
 * Brings the product folder's checkout of main up to the release, when main is checked out
 * there and its index still matches the release's first parent (nothing staged or edited).
 */
async function syncCheckout(ws: BoltWorkspace, main: string, commit: string): Promise<boolean> {
  const { git } = ws;
  const head = await git.run(["symbolic-ref", "--quiet", "HEAD"], { allowFail: true });
  if (head.stdout.trim() !== `refs/heads/${main}`) return true;
  // Someone's git is at work in the checkout (or died there): theirs to finish, not ours to clear.
  if (existsSync(join(git.gitDir, "index.lock"))) return false;
  const atRelease = await git.run(["diff-index", "--quiet", "--cached", commit], {
    allowFail: true,
  });
  const parent = `${commit}^1`;
  const atParent = await git.run(["diff-index", "--quiet", "--cached", parent], {
    allowFail: true,
  });
  const clean = await git.run(["diff-files", "--quiet"], { allowFail: true });
  if (clean.code !== 0) return false;
  if (atRelease.code === 0) return true;
  if (atParent.code !== 0) return false;
  // An untracked file in the way makes this refuse; the release on main stands either way.
  const read = await git.run(["read-tree", "-m", "-u", parent, commit], { allowFail: true });
  return read.code === 0;
}

/**
 * `factory.release`: one merge commit of the integration branch into the product's main
 * branch, with trailers `Bolt`, `Intent` and `Audit-Head`. The commit is made without
 * touching any working tree (`git merge-tree`), and main moves by a compare-and-swap, so
 * a release happens exactly once even when a resumed bolt gets here again. A checkout of
 * main in the product's own folder is brought along when it has no local changes.
 */
import type { Handler } from "../engine/handler.js";
import { boltWorkspace } from "./bolt-workspace.js";
import { ctx, type FactoryDeps } from "./factory-deps.js";

export function createReleaseHandler(deps: FactoryDeps): Handler {
  return {
    sideEffect: true,
    async execute({ boltId, node, context }) {
      const ws = boltWorkspace(deps.home, boltId, deps.env);
      const { git } = ws;
      const main = deps.home.config.product.mainBranch;
      const intent = (context.get(ctx.intent) as { id?: string } | undefined)?.id ?? "";
      const mainRef = `refs/heads/${main}`;

      const released = await git.findCommitTrailers(mainRef, { Bolt: boltId, Intent: intent });
      let commit = released?.commit;
      let auditHead = released?.trailers["Audit-Head"] ?? "";
      if (!commit) {
        const before = await git.revParse(mainRef);
        const integration = await git.revParse(ws.integrationBranch);
        if (!before || !integration) {
          return {
            status: "fail",
            failure_reason: `${main} or ${ws.integrationBranch} is missing`,
          };
        }
        const tree = await git.run(
          ["merge-tree", "--write-tree", "--name-only", before, integration],
          {
            allowFail: true,
          },
        );
        if (tree.code !== 0) {
          const files = tree.stdout.split("\n").slice(1).filter(Boolean);
          return {
            status: "fail",
            failure_reason: `${main} moved since the bolt branched and conflicts with it in ${files.join(", ") || "some files"}; start a new bolt from the current ${main}`,
          };
        }
        const head = await deps.home.store.auditHead();
        auditHead = head ? `${head.seq}:${head.hash}` : "0:";
        const title = (context.get(ctx.intent) as { title?: string } | undefined)?.title ?? intent;
        const message = `Release ${intent}: ${title}\n\nMerges ${ws.integrationBranch}.\n\nBolt: ${boltId}\nIntent: ${intent}\nAudit-Head: ${auditHead}\n`;
        const made = await git.run([
          "commit-tree",
          tree.stdout.split("\n")[0] ?? "",
          "-p",
          before,
          "-p",
          integration,
          "-m",
          message,
        ]);
        commit = made.stdout.trim();
        // Compare-and-swap: only if main is still where the merge was computed from.
        const moved = await git.run(
          ["update-ref", "-m", `release ${boltId}`, mainRef, commit, before],
          {
            allowFail: true,
          },
        );
        if (moved.code !== 0) {
          return {
            status: "retry",
            failure_reason: `${main} moved while releasing; trying again`,
          };
        }
        deps.checkpointHook?.("effect:release");
        await deps.home.audit.append(deps.actor, "release.merge", `bolt:${boltId}/${node.id}`, {
          commit,
          main,
          auditHead,
        });
        deps.onProgress?.(
          `    ⇢ ${main} is now ${commit.slice(0, 8)} (Audit-Head ${auditHead.slice(0, 20)}…)`,
        );
      } else if (!(await releaseRecorded(deps, `bolt:${boltId}/${node.id}`, auditHead))) {
        // Killed between moving main and its audit entry: the release is recorded now, once.
        await deps.home.audit.append(deps.actor, "release.merge", `bolt:${boltId}/${node.id}`, {
          commit,
          main,
          auditHead,
        });
      }
      const synced = await syncCheckout(ws, main, commit);
      return {
        status: "success",
        notes: `${main} at ${commit}${synced ? "" : "; the product's checkout has local changes and was left as it was"}`,
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
async function syncCheckout(
  ws: ReturnType<typeof boltWorkspace>,
  main: string,
  commit: string,
): Promise<boolean> {
  const { git } = ws;
  const head = await git.run(["symbolic-ref", "--quiet", "HEAD"], { allowFail: true });
  if (head.stdout.trim() !== `refs/heads/${main}`) return true;
  git.clearStaleLocks();
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
  await git.run(["read-tree", "-m", "-u", parent, commit]);
  return true;
}

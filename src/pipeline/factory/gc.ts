/**
 * `factory gc`: the worktrees and branches of finished bolts go; their journal, audit trail
 * and run artifacts stay. A bolt still running or waiting keeps everything.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Home } from "../../home/index.js";
import { isFinished } from "../../store/index.js";
import { createGit } from "../../workspace/index.js";
import { boltWorkspace } from "./bolt-workspace.js";

export interface CollectedBolt {
  bolt: string;
  status: string;
  worktrees: number;
  branches: string[];
}

export async function collectGarbage(home: Home, actor: string): Promise<CollectedBolt[]> {
  const collected: CollectedBolt[] = [];
  const worktreesDir = join(home.root, ".factory", "worktrees");
  const withWorktrees = new Set(existsSync(worktreesDir) ? readdirSync(worktreesDir) : []);
  const git = createGit({ repo: home.config.product.repo });
  const refs = await git.run(["for-each-ref", "--format=%(refname:short)", "refs/heads/factory/"]);
  const branchesOf = new Map<string, string[]>();
  for (const branch of refs.stdout.split("\n").filter(Boolean)) {
    const bolt = branch.split("/")[1] ?? "";
    branchesOf.set(bolt, [...(branchesOf.get(bolt) ?? []), branch]);
  }
  for (const boltId of new Set([...withWorktrees, ...branchesOf.keys()])) {
    const bolt = await home.store.getBolt(boltId);
    // Unknown to this home's store (another home's bolt, say): not ours to delete.
    if (!bolt || !isFinished(bolt.status)) continue;
    // Cancelled while a process still drives it: its builder may be in a worktree right now.
    const lease = await home.store.getLease(boltId);
    if (lease && lease.expiresAt > Date.now()) continue;
    const ws = boltWorkspace(home, boltId, {});
    const paths = withWorktrees.has(boltId) ? worktreePaths(ws.root) : [];
    for (const path of paths) await ws.git.removeWorktree(path);
    rmSync(ws.root, { recursive: true, force: true });
    const branches = branchesOf.get(boltId) ?? [];
    // A branch someone checked out elsewhere stays; the rest go.
    if (branches.length > 0)
      await ws.git.run(["branch", "-D", "--quiet", ...branches], { allowFail: true });
    await ws.git.run(["worktree", "prune"]);
    const entry = { bolt: boltId, status: bolt.status, worktrees: paths.length, branches };
    await home.audit.append(actor, "bolt.gc", `bolt:${boltId}`, entry);
    collected.push(entry);
  }
  return collected;
}

function worktreePaths(root: string): string[] {
  const paths: string[] = [];
  if (existsSync(join(root, "integration"))) paths.push(join(root, "integration"));
  const tasks = join(root, "tasks");
  if (existsSync(tasks)) for (const name of readdirSync(tasks)) paths.push(join(tasks, name));
  return paths;
}

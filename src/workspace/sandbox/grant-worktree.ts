/** Hands a worktree's files to the sandbox user, so commands running as uid 65534 can edit them. */
import { chmod, chown, lchown, lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { SANDBOX_GID, SANDBOX_UID } from "./sandbox-user.js";

/**
 * When the factory runs as root, commands run as uid 65534 (see bwrap-sandbox.ts), so the
 * worktree's files must be theirs. Everything below the top folder becomes 65534's; the top
 * folder stays root's, with the sandbox group allowed to write and the sticky bit set, and
 * the `.git` link stays root's 0644. Why: root's git refuses a worktree whose top folder
 * another user owns ("dubious ownership"), and the sticky bit stops the sandbox user from
 * replacing the `.git` link even in process mode, where no read-only bind protects it.
 * Call it after creating the worktree and after the orchestrator writes into it. Does
 * nothing when the factory is not root: its own uid then runs the commands.
 */
export async function grantWorktreeAccess(worktree: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (const entry of await readdir(worktree, { withFileTypes: true })) {
    if (entry.name === ".git") continue;
    await chownTree(join(worktree, entry.name), entry.isDirectory());
  }
  await chown(worktree, 0, SANDBOX_GID);
  await chmod(worktree, 0o1775);
  const link = join(worktree, ".git");
  const info = await lstat(link).catch(() => undefined);
  if (info?.isFile()) {
    await chown(link, 0, 0);
    await chmod(link, 0o644);
  }
}

async function chownTree(path: string, isDirectory: boolean): Promise<void> {
  await lchown(path, SANDBOX_UID, SANDBOX_GID);
  if (!isDirectory) return;
  for (const entry of await readdir(path, { withFileTypes: true }))
    await chownTree(join(path, entry.name), entry.isDirectory());
}

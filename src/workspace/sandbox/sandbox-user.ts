/** The unprivileged user commands run as, and what it takes for that user to reach a worktree. */
import { chmod, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { WorkError } from "../../common/index.js";

/** `nobody` on Debian: owns nothing, belongs to nothing. */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;

/**
 * Spawn options that drop to the sandbox user when the factory runs as root; undefined when
 * it does not (an ordinary user cannot switch, and its commands already run unprivileged).
 */
export function sandboxUserSpawnOptions(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: SANDBOX_UID, gid: SANDBOX_GID } : undefined;
}

/**
 * Throws unless the sandbox user can search every folder from `/` down to `dir`, so that a
 * root factory fails with a useful message instead of a bwrap "Permission denied" exit 1.
 * Mode bits only; ACLs are not read.
 */
export async function assertReachableBySandboxUser(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const info = await stat(current);
    const bit = info.uid === SANDBOX_UID ? 0o100 : info.gid === SANDBOX_GID ? 0o010 : 0o001;
    if ((info.mode & bit) === 0)
      throw new WorkError(
        "sandbox-worktree-unreachable",
        `The sandbox user (uid ${SANDBOX_UID}) cannot enter ${current}, on the way to ${dir}.`,
        { hint: `Keep worktrees under folders that others may search (chmod o+x ${current}).` },
      );
    if (current === dirname(current)) return;
  }
}

/**
 * When the factory runs as root, lets the sandbox user search (never list or read) every
 * folder from `/` down to `dir` by adding the others-execute bit where it is missing, and
 * returns the folders it changed so the caller can say so. A root factory's home often sits
 * under a 0700 folder (/root, a mktemp folder), and bwrap, started as the sandbox user so
 * that its process limit holds, must reach the worktree to mount it. Does nothing otherwise.
 */
export async function openPathForSandboxUser(dir: string): Promise<string[]> {
  if (process.getuid?.() !== 0) return [];
  const changed: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    const info = await stat(current);
    const bit = info.uid === SANDBOX_UID ? 0o100 : info.gid === SANDBOX_GID ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      await chmod(current, (info.mode & 0o7777) | bit);
      changed.push(current);
    }
    if (current === dirname(current)) return changed.reverse();
  }
}

/** The unprivileged user commands run as, and what it takes for that user to reach a worktree. */
import { stat } from "node:fs/promises";
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

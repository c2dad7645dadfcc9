/** A HOME of the tool's own for one run, so its config and caches never land in the worktree. */
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SANDBOX_GID, SANDBOX_UID, type Sandbox } from "../../workspace/index.js";

export interface ToolHome {
  path: string;
  remove(): Promise<void>;
}

/**
 * bwrap gives every run a fresh private /tmp, which is already its HOME. The process sandbox
 * sets HOME to the worktree, where `.claude.json` and friends would be committed; so the run
 * gets a temporary folder of the sandbox user's instead, removed afterwards.
 */
export async function createToolHome(sandbox: Sandbox): Promise<ToolHome> {
  if (sandbox.mode === "bwrap") return { path: "/tmp", remove: async () => {} };
  const path = await mkdtemp(join(tmpdir(), "df-cli-home-"));
  if (process.getuid?.() === 0) await chown(path, SANDBOX_UID, SANDBOX_GID);
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

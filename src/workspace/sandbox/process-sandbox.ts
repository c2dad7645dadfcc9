/** The fallback when bwrap is missing or unusable: a confined child process, and weaker. */
import { limitedShell } from "./limited-shell.js";
import { prepareRun } from "./prepare-run.js";
import { runLimited } from "./run-limited.js";
import type { Sandbox, SandboxResult, SandboxRun } from "./sandbox.js";
import { assertReachableBySandboxUser, sandboxUserSpawnOptions } from "./sandbox-user.js";

/**
 * Runs the command as a plain child process: its own process group (killed whole on timeout,
 * abort or exit), the allow-listed environment with HOME set to the worktree, a working
 * folder checked to be inside the worktree, and RLIMIT_FSIZE. When the factory is root the
 * child runs as uid 65534 with RLIMIT_NPROC; otherwise it runs as the factory's own user
 * and without RLIMIT_NPROC, which would count all of that user's processes.
 *
 * What it does not do, and bwrap does: hide the rest of the file system (the command can
 * read anything its uid can, and write wherever its uid may), cut the network, hide other
 * processes, or protect the worktree's `.git` link beyond file permissions. It ignores
 * `bridge`: the command has the host's network, so callers give it the targets' own URLs. A command that
 * calls `setsid` can also leave its process group and outlive the run. Use it only when the
 * factory has said loudly that bwrap is unavailable (detectSandbox's reason).
 */
export function createProcessSandbox(): Sandbox {
  return {
    mode: "process",
    async run(run: SandboxRun): Promise<SandboxResult> {
      const prepared = await prepareRun(run, (worktree) => worktree);
      const user = sandboxUserSpawnOptions();
      if (user) await assertReachableBySandboxUser(prepared.cwd);
      const limits = {
        maxProcesses: user ? prepared.maxProcesses : undefined,
        maxFileSizeBytes: prepared.maxFileSizeBytes,
      };
      return runLimited({
        argv: limitedShell(prepared.command, limits),
        cwd: prepared.cwd,
        env: prepared.env,
        user,
        timeoutMs: prepared.timeoutMs,
        maxOutputBytes: prepared.maxOutputBytes,
        signal: prepared.signal,
        onOutput: prepared.onOutput,
      });
    },
  };
}

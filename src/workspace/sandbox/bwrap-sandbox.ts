/** The sandbox agents' commands normally run in: bubblewrap namespaces as an unprivileged user. */
import { lstatSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { WorkError } from "../../common/index.js";
import { BRIDGE_MOUNT, EXPOSED_FOLDER, FORWARDER_FILE } from "./bridge.js";
import { findExecutable } from "./find-executable.js";
import { limitedShell } from "./limited-shell.js";
import { type PreparedRun, prepareRun, SANDBOX_PATH } from "./prepare-run.js";
import { runLimited } from "./run-limited.js";
import type { Sandbox, SandboxResult, SandboxRun } from "./sandbox.js";
import {
  assertReachableBySandboxUser,
  SANDBOX_GID,
  SANDBOX_UID,
  sandboxUserSpawnOptions,
} from "./sandbox-user.js";

export interface BwrapSandboxOptions {
  /** Default: `bwrap` on PATH, else /usr/bin/bwrap. */
  bwrapPath?: string;
  /** Extra host folders to mount read-only at the same path (a toolchain under /opt). */
  readOnlyPaths?: string[];
}

/** The least of /etc that programs need: users, name lookup, the loader, certificates, time. */
const ETC_FILES = (
  "passwd group nsswitch.conf hosts host.conf localtime timezone ld.so.cache ld.so.conf " +
  "ld.so.conf.d alternatives ssl ca-certificates mime.types protocols services os-release terminfo"
).split(" ");
/** Every namespace bwrap offers, no capabilities, no nested user namespaces, and no tty to hijack. */
const NAMESPACES = [
  ...["--unshare-user", "--uid", String(SANDBOX_UID), "--gid", String(SANDBOX_GID)],
  ...["--disable-userns", "--cap-drop", "ALL", "--unshare-pid"],
  ...["--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox"],
  ...["--die-with-parent", "--new-session"],
];
const SYSTEM_FOLDERS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/**
 * Why the command is unprivileged twice over. `--unshare-user --uid 65534` makes it nobody
 * inside, with no capabilities. But a user namespace made by root maps that nobody to host
 * root, and the kernel never applies RLIMIT_NPROC to host root (nor to a holder of
 * CAP_SYS_RESOURCE), so a fork bomb would run free. So when the factory is root, bwrap
 * itself is spawned as uid 65534: the namespace is then an unprivileged one (the kernel
 * must allow those; detectSandbox finds out), the command is host nobody too, and its files
 * on the host are nobody's (see grantWorktreeAccess). The limits are set by prlimit inside
 * the sandbox, after the namespace exists: since Linux 5.14 RLIMIT_NPROC is counted per
 * (user namespace, uid), so each run gets its own budget of `maxProcesses`, unaffected by
 * other runs or host processes; set before bwrap, it would count every process of the
 * host uid. When the factory is not root, bwrap runs as the factory's user, just as good.
 */
export function createBwrapSandbox(options: BwrapSandboxOptions = {}): Sandbox {
  const bwrap = options.bwrapPath ?? findExecutable("bwrap") ?? "/usr/bin/bwrap";
  const readOnlyPaths = options.readOnlyPaths ?? [];
  return {
    mode: "bwrap",
    async run(run: SandboxRun): Promise<SandboxResult> {
      const prepared = await prepareRun(run, () => "/tmp");
      const user = sandboxUserSpawnOptions();
      if (user) await assertReachableBySandboxUser(prepared.cwd);
      return runLimited({
        argv: [bwrap, ...bwrapArgs(prepared, readOnlyPaths)],
        cwd: "/",
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

function bwrapArgs(run: PreparedRun, readOnlyPaths: string[]): string[] {
  const args = [...NAMESPACES, ...(run.network ? [] : ["--unshare-net"])];
  args.push("--ro-bind", "/usr", "/usr");
  for (const folder of SYSTEM_FOLDERS) args.push(...systemFolder(folder));
  for (const name of ETC_FILES) args.push("--ro-bind-try", `/etc/${name}`, `/etc/${name}`);
  if (run.network) args.push("--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf");
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
  // After the private /tmp, which would hide a toolchain cached under the host's /tmp.
  for (const path of readOnlyPaths) args.push("--ro-bind", path, path);
  // The worktree after /tmp, which may hold it; then its `.git` link read-only over it, so
  // the command cannot repoint the worktree at another git directory.
  args.push("--bind", run.worktree, run.worktree);
  if (run.bridge) args.push("--ro-bind", run.bridge.dir, BRIDGE_MOUNT);
  if (run.bridge && run.bridge.exposed.length > 0) {
    const out = join(run.bridge.dir, EXPOSED_FOLDER);
    args.push("--bind", out, `${BRIDGE_MOUNT}/${EXPOSED_FOLDER}`);
  }
  const gitLink = join(run.worktree, ".git");
  const link = lstatSync(gitLink, { throwIfNoEntry: false });
  if (link?.isSymbolicLink())
    throw new WorkError("sandbox-git-link-symlink", `The worktree's .git is a symlink: ${gitLink}`);
  if (link) args.push("--ro-bind", gitLink, gitLink);
  // The root is a tmpfs bwrap built; read-only, nothing can be planted in it.
  args.push("--remount-ro", "/", "--chdir", run.cwd, "--");
  if (run.bridge) args.push(...forwarder(run.bridge));
  args.push(...limitedShell(run.command, run));
  return args;
}

/**
 * The bridge's forwarder, in front of the limits: it starts the command once it listens and
 * exits as the command does. Its few threads count towards the run's `maxProcesses`.
 */
function forwarder(bridge: NonNullable<PreparedRun["bridge"]>): string[] {
  const node = findExecutable("node", SANDBOX_PATH);
  if (node === undefined)
    throw new WorkError(
      "sandbox-bridge-no-node",
      "The network bridge needs node inside the sandbox.",
      {
        hint: `install nodejs so that node is on ${SANDBOX_PATH}, which the sandbox mounts.`,
      },
    );
  const ports = [
    ...bridge.targets.map((target) => String(target.port)),
    ...bridge.exposed.map((port) => `+${port}`),
  ];
  return [node, `${BRIDGE_MOUNT}/${FORWARDER_FILE}`, BRIDGE_MOUNT, ...ports, "--"];
}

/** Merged-/usr systems make /bin a symlink into /usr; others need the folder itself. */
function systemFolder(path: string): string[] {
  const info = lstatSync(path, { throwIfNoEntry: false });
  if (info === undefined) return [];
  if (info.isSymbolicLink()) return ["--symlink", readlinkSync(path), path];
  return ["--ro-bind", path, path];
}

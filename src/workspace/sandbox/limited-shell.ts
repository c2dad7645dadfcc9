/** The argv that applies RLIMIT_NPROC and RLIMIT_FSIZE and then runs the command with /bin/sh. */
import { existsSync } from "node:fs";

const PRLIMIT_PATHS = ["/usr/bin/prlimit", "/bin/prlimit", "/usr/sbin/prlimit"];

/** util-linux's prlimit, at a path that is also mounted inside the sandbox (/usr or /bin). */
export function findPrlimit(): string | undefined {
  return PRLIMIT_PATHS.find((path) => existsSync(path));
}

export interface ShellLimits {
  /** Omitted when the limit would count processes that are not the command's. */
  maxProcesses?: number;
  maxFileSizeBytes: number;
}

/**
 * prlimit sets soft and hard limits, so the command cannot raise them again. Without prlimit,
 * a shell sets them with `ulimit` (`-u` in bash, `-p` in dash), and refuses to run the command
 * (exit 125) when it cannot: a limit that silently does not apply is worse than no run.
 */
export function limitedShell(
  command: string,
  limits: ShellLimits,
  prlimit: string | undefined = findPrlimit(),
): string[] {
  const { maxProcesses, maxFileSizeBytes } = limits;
  if (prlimit !== undefined) {
    const nproc = maxProcesses === undefined ? [] : [`--nproc=${maxProcesses}`];
    return [prlimit, ...nproc, `--fsize=${maxFileSizeBytes}`, "--", "/bin/sh", "-c", command];
  }
  const nproc =
    maxProcesses === undefined
      ? ""
      : '{ ulimit -u "$2" 2>/dev/null || ulimit -p "$2"; } || exit 125; ';
  const script = `ulimit -f "$1" || exit 125; ${nproc}exec /bin/sh -c "$3"`;
  const blocks = String(Math.max(1, Math.floor(maxFileSizeBytes / 512)));
  return ["/bin/sh", "-c", script, "sh", blocks, String(maxProcesses ?? 0), command];
}

import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { WorkError } from "../../common/index.js";

/**
 * The lock file the factory installs from is the builders' work. Before installing, every
 * package must come from the registry as a tarball with an integrity hash: a git, file, link
 * or other URL dependency would let a builder choose code (or a program, through a git
 * dependency) that runs at install time. The policy engine's dependency gates come later;
 * this is the floor that keeps the install step itself safe.
 */
export const DEFAULT_REGISTRY = "https://registry.npmjs.org/";

export function lockfileProblems(text: string, registry: string = DEFAULT_REGISTRY): string[] {
  let lock: { lockfileVersion?: number; packages?: Record<string, Record<string, unknown>> };
  try {
    lock = JSON.parse(text);
  } catch {
    return ["package-lock.json is not JSON"];
  }
  if (!lock.packages || (lock.lockfileVersion ?? 0) < 2)
    return ["package-lock.json must be lockfileVersion 2 or 3 (npm 7 or later)"];
  const base = registry.endsWith("/") ? registry : `${registry}/`;
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === "") continue;
    const name = path.replace(/^.*node_modules\//, "");
    if (entry.link === true) {
      problems.push(`${name} is a link to ${String(entry.resolved)}, not a registry package`);
      continue;
    }
    // Bundled dependencies come inside their parent's tarball.
    if (entry.inBundle === true) continue;
    const resolved = typeof entry.resolved === "string" ? entry.resolved : "";
    if (!resolved.startsWith(base))
      problems.push(`${name} resolves to ${resolved || "nothing"}, not to ${base}`);
    else if (typeof entry.integrity !== "string") problems.push(`${name} has no integrity hash`);
  }
  return problems;
}

/**
 * Refuses to install from what a builder could have turned against the install: a shrinkwrap
 * (npm prefers it to the lock file), a lock file that is not a plain file, or a dependency
 * that does not come from the registry as a tarball with an integrity hash.
 */
export function vetInstallFiles(path: string, registry: string = DEFAULT_REGISTRY): void {
  const refuse = (why: string) => {
    throw new WorkError("lockfile-refused", `the factory will not install in ${path}: ${why}`, {
      hint: "dependencies must come from the registry, as tarballs with integrity hashes, in package-lock.json",
    });
  };
  if (lstatSync(join(path, "npm-shrinkwrap.json"), { throwIfNoEntry: false }))
    refuse("it has an npm-shrinkwrap.json; keep the lock in package-lock.json");
  const lock = join(path, "package-lock.json");
  const info = lstatSync(lock, { throwIfNoEntry: false });
  if (!info) return;
  if (!info.isFile()) refuse("package-lock.json is not a regular file");
  const problems = lockfileProblems(readFileSync(lock, "utf8"), registry);
  if (problems.length > 0) refuse(problems.slice(0, 5).join("; "));
}

/** Which npm dependencies a change adds, removes or re-ranges, from package.json and its lock file. */
import type { ChangeRepo } from "./open-repo.js";
import { readAt } from "./read-change-contents.js";

export interface ManifestTexts {
  packageJson?: string | undefined;
  lock?: string | undefined;
}

export interface AddedDependency {
  name: string;
  spec: string;
  /** true only when the package is a devDependency and nothing else. */
  dev: boolean;
}

export interface DependencyDiff {
  added: AddedDependency[];
  removed: string[];
  /** Names whose range (or kind, dev or not) changed. */
  changed: string[];
  /** Packages new in the lock file that package.json does not add directly. */
  lock_added: string[];
  /** Files that could not be read, in words; the rest of the diff is what could be. */
  problems: string[];
}

const SECTIONS = [
  "dependencies",
  "optionalDependencies",
  "peerDependencies",
  "devDependencies",
] as const;

/** The dependency changes between two versions of package.json and package-lock.json. Pure. */
export function diffDependencies(before: ManifestTexts, after: ManifestTexts): DependencyDiff {
  const problems: string[] = [];
  const was = readManifest(before.packageJson, "package.json before the change", problems);
  const now = readManifest(after.packageJson, "package.json", problems);
  const added: AddedDependency[] = [];
  const changed: string[] = [];
  for (const [name, dep] of now) {
    const old = was.get(name);
    if (!old) added.push({ name, ...dep });
    else if (old.spec !== dep.spec || old.dev !== dep.dev) changed.push(name);
  }
  const removed = [...was.keys()].filter((name) => !now.has(name));
  const lockBefore = readLock(before.lock, "package-lock.json before the change", problems);
  const lockAfter = readLock(after.lock, "package-lock.json", problems);
  const direct = new Set(added.map((d) => d.name));
  const lock_added = [...lockAfter].filter((name) => !lockBefore.has(name) && !direct.has(name));
  return {
    added,
    removed,
    changed,
    lock_added: lock_added.sort(),
    problems,
  };
}

function readManifest(
  text: string | undefined,
  label: string,
  problems: string[],
): Map<string, { spec: string; dev: boolean }> {
  const deps = new Map<string, { spec: string; dev: boolean }>();
  const json = parseObject(text, label, problems);
  if (!json) return deps;
  for (const section of SECTIONS) {
    const entries = json[section];
    if (entries === undefined) continue;
    if (!isObject(entries)) {
      problems.push(`${label}: "${section}" is not an object`);
      continue;
    }
    for (const [name, spec] of Object.entries(entries)) {
      const dev = section === "devDependencies";
      // A package listed as a runtime dependency too is not dev-only: keep the first, non-dev entry.
      if (deps.has(name)) continue;
      deps.set(name, { spec: typeof spec === "string" ? spec : JSON.stringify(spec), dev });
    }
  }
  return deps;
}

/** Package names a lock file installs (lockfileVersion 2/3 `packages`, or 1's nested `dependencies`). */
function readLock(text: string | undefined, label: string, problems: string[]): Set<string> {
  const names = new Set<string>();
  const json = parseObject(text, label, problems);
  if (!json) return names;
  if (isObject(json.packages)) {
    for (const [key, entry] of Object.entries(json.packages)) {
      const at = key.lastIndexOf("node_modules/");
      // Workspace links are the product's own folders, not packages from a registry.
      if (at === -1 || (isObject(entry) && entry.link === true)) continue;
      names.add(key.slice(at + "node_modules/".length));
    }
  } else if (isObject(json.dependencies)) {
    const walk = (deps: Record<string, unknown>) => {
      for (const [name, entry] of Object.entries(deps)) {
        names.add(name);
        if (isObject(entry) && isObject(entry.dependencies)) walk(entry.dependencies);
      }
    };
    walk(json.dependencies);
  }
  return names;
}

function parseObject(
  text: string | undefined,
  label: string,
  problems: string[],
): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value)) return value;
    problems.push(`${label} is not a JSON object`);
  } catch {
    // Not the parser's message: it quotes the text, and the text may hold a token.
    problems.push(`${label} is not valid JSON`);
  }
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `diffDependencies` for the root package.json and package-lock.json of a change. */
export async function readDependencyDiff(repo: ChangeRepo): Promise<DependencyDiff> {
  const side = async (commit: string): Promise<ManifestTexts> => {
    const [packageJson, lock] = await Promise.all(
      ["package.json", "package-lock.json"].map(async (path) => {
        const blob = await readAt(repo, commit, path, 64 * 1024 * 1024);
        return blob.kind === "text" ? blob.text : undefined;
      }),
    );
    return { packageJson, lock };
  };
  return diffDependencies(await side(repo.mergeBase), await side(repo.head));
}

/**
 * Which published version a package.json range installs: the subset of node-semver ranges
 * package.json files use (`^`, `~`, x-ranges, comparators, hyphen ranges, `||`), small enough
 * to read, so gates need no dependency for it.
 */

interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Prerelease identifiers, empty for a release. */
  pre: string[];
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    pre: m[4] ? m[4].split(".") : [],
  };
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function compare(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePre(a.pre, b.pre);
}

type Op = "<" | "<=" | ">" | ">=" | "=";
interface Comparator {
  op: Op;
  version: Version;
}

/** A partial version (`1`, `1.2`, `1.x`, `*`): the parts given, undefined for a wildcard. */
function parsePartial(text: string) {
  const m =
    /^v?(\d+|[xX*])?(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(
      text,
    );
  if (!m) return undefined;
  const num = (s: string | undefined) =>
    s === undefined || /^[xX*]$/.test(s) ? undefined : Number(s);
  const major = num(m[1]);
  const minor = major === undefined ? undefined : num(m[2]);
  const patch = minor === undefined ? undefined : num(m[3]);
  return { major, minor, patch, pre: patch !== undefined && m[4] ? m[4].split(".") : [] };
}

const v = (major: number, minor = 0, patch = 0, pre: string[] = []): Version => ({
  major,
  minor,
  patch,
  pre,
});

/** The comparators one range term stands for, or undefined when it is not a range. */
function expand(term: string): Comparator[] | undefined {
  const m = /^(\^|~>?|<=|>=|<|>|=)?\s*(.*)$/.exec(term);
  const op = m?.[1] ?? "";
  const p = parsePartial(m?.[2] ?? "");
  if (!p) return undefined;
  const { major, minor, patch, pre } = p;
  if (major === undefined)
    return op === "<" || op === ">" ? [{ op: "<", version: v(0, 0, 0, ["0"]) }] : [];
  const lower = v(major, minor ?? 0, patch ?? 0, pre);
  if (op === "^") {
    const upper =
      major > 0 || minor === undefined
        ? v(major + 1)
        : minor > 0 || patch === undefined
          ? v(0, minor + 1)
          : v(0, 0, patch + 1);
    return [
      { op: ">=", version: lower },
      { op: "<", version: upper },
    ];
  }
  if (op.startsWith("~")) {
    const upper = minor === undefined ? v(major + 1) : v(major, minor + 1);
    return [
      { op: ">=", version: lower },
      { op: "<", version: upper },
    ];
  }
  const exact = patch !== undefined;
  if (op === "" || op === "=") {
    if (exact) return [{ op: "=", version: lower }];
    const upper = minor === undefined ? v(major + 1) : v(major, minor + 1);
    return [
      { op: ">=", version: lower },
      { op: "<", version: upper },
    ];
  }
  if (exact) return [{ op: op as Op, version: lower }];
  // `>1.2` means `>=1.3.0`, `<=1.2` means `<1.3.0`: a partial version is a whole block.
  const next = minor === undefined ? v(major + 1) : v(major, minor + 1);
  if (op === ">") return [{ op: ">=", version: next }];
  if (op === "<=") return [{ op: "<", version: next }];
  return [{ op: op as Op, version: lower }];
}

function holds(version: Version, c: Comparator): boolean {
  const d = compare(version, c.version);
  switch (c.op) {
    case "<":
      return d < 0;
    case "<=":
      return d <= 0;
    case ">":
      return d > 0;
    case ">=":
      return d >= 0;
    default:
      return d === 0;
  }
}

/** The comparator sets of a range (`||` between sets), or undefined when it does not parse. */
function parseRange(range: string): Comparator[][] | undefined {
  const sets: Comparator[][] = [];
  for (const raw of range.split("||")) {
    let text = raw.trim().replace(/(\^|~>?|<=|>=|<|>|=)\s+/g, "$1");
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    if (hyphen) text = `>=${hyphen[1]} <=${hyphen[2]}`;
    const set: Comparator[] = [];
    for (const term of text.split(/\s+/).filter((t) => t !== "")) {
      const comparators = expand(term);
      if (!comparators) return undefined;
      set.push(...comparators);
    }
    sets.push(set);
  }
  return sets;
}

/**
 * The highest of `versions` that `range` allows, as npm would pick it; undefined when none
 * does or the range is not a semver range (a dist-tag, a URL). Prereleases count only when the
 * range names a prerelease of the same major.minor.patch, as in node-semver.
 */
export function maxSatisfying(versions: readonly string[], range: string): string | undefined {
  const sets = parseRange(range.trim() === "" ? "*" : range);
  if (!sets) return undefined;
  let best: { text: string; version: Version } | undefined;
  for (const text of versions) {
    const version = parseVersion(text);
    if (!version) continue;
    const ok = sets.some(
      (set) =>
        set.every((c) => holds(version, c)) &&
        (version.pre.length === 0 ||
          set.some(
            (c) =>
              c.version.pre.length > 0 &&
              c.version.major === version.major &&
              c.version.minor === version.minor &&
              c.version.patch === version.patch,
          )),
    );
    if (ok && (!best || compare(version, best.version) > 0)) best = { text, version };
  }
  return best?.text;
}

/** Whether `range` parses as a semver range (otherwise it may be a dist-tag). */
export function isSemverRange(range: string): boolean {
  return parseRange(range.trim() === "" ? "*" : range) !== undefined;
}

/**
 * What the registry says about each dependency a change adds (DESIGN §8): whether it exists,
 * how old it and the version it resolves to are, how much it is downloaded, whether it runs
 * code at install time, its known advisories, and whether its name imitates a popular one.
 */
import type { Advisory, DependencyFacts, RegistryFacts } from "../facts/change-facts.js";
import { lookAlike } from "./look-alike.js";
import { POPULAR_PACKAGES } from "./popular-packages.js";
import {
  createRegistryClient,
  type Packument,
  type RegistryClient,
  RegistryUnanswered,
} from "./registry-client.js";
import { isSemverRange, maxSatisfying } from "./semver-range.js";

export interface DependencyToInspect {
  name: string;
  /** The range written in package.json. */
  spec: string;
  dev: boolean;
}

export interface InspectDependenciesOptions {
  /** The registry's base URL (`https://registry.npmjs.org/`, or the npm twin's). */
  registry: string;
  /** The downloads API's base URL (`https://api.npmjs.org/`; the npm twin serves it too). */
  downloads: string;
  /** Per request: past it, the package is reported as not checked. */
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => Date;
  /** The names look-alikes are measured against; default the shipped list. */
  popular?: readonly string[];
  /** Packages looked up at once. Default 4. */
  concurrency?: number;
}

const DAY_MS = 86_400_000;
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"] as const;
const SEVERITY_ORDER = ["low", "moderate", "high", "critical"] as const;
// npm's naming rules, with the capitals old packages still have.
const VALID_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;

const blank = (): RegistryFacts => ({
  checked: true,
  error: "",
  exists: false,
  version: "",
  age_days: 0,
  version_age_days: 0,
  weekly_downloads: 0,
  install_scripts: [],
  advisories: [],
  max_severity: "",
});

/**
 * The facts about each dependency, in the order given. A registry that does not answer (down,
 * slow past `timeoutMs`, a 5xx, a malformed answer) gives `checked: false` and an `error`
 * naming the registry and what went wrong: never a package that looks clean. Never throws
 * for a registry's failure.
 */
export async function inspectDependencies(
  deps: readonly DependencyToInspect[],
  options: InspectDependenciesOptions,
): Promise<DependencyFacts[]> {
  const client = createRegistryClient(options);
  const now = options.now ?? (() => new Date());
  const popular = options.popular ?? POPULAR_PACKAGES;
  return mapLimited(deps, options.concurrency ?? 4, async (dep) => {
    // An alias (`"lodash": "npm:lodahs@^4"`) installs another package: that is the one to judge.
    const alias = /^npm:((?:@[^/@]+\/)?[^@]+)(?:@(.*))?$/.exec(dep.spec);
    const name = alias ? (alias[1] as string) : dep.name;
    const range = alias ? (alias[2] ?? "*") : dep.spec;
    return {
      name: dep.name,
      spec: dep.spec,
      dev: dep.dev,
      ...lookAlike(name, popular),
      registry: await registryFacts(client, name, range, now()),
    };
  });
}

async function registryFacts(
  client: RegistryClient,
  name: string,
  range: string,
  now: Date,
): Promise<RegistryFacts> {
  if (!VALID_NAME.test(name) || name.length > 214) return blank();
  const notFromRegistry = foreignSource(range);
  if (notFromRegistry)
    return {
      ...blank(),
      checked: false,
      error: `${name} comes from ${notFromRegistry} ("${range}"), not from the registry, so the registry cannot vouch for it`,
    };
  try {
    const packument = await client.packument(name);
    if (!packument) return blank();
    const days = (iso: string | undefined) => {
      const at = iso ? Date.parse(iso) : Number.NaN;
      return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((now.getTime() - at) / DAY_MS));
    };
    const facts: RegistryFacts = { ...blank(), exists: true, age_days: days(created(packument)) };
    const version = resolve(packument, range);
    if (!version)
      return {
        ...facts,
        checked: false,
        error: `no version of ${name} on the registry matches "${range}"`,
      };
    const scripts = packument.versions[version]?.scripts ?? {};
    const [weekly, advisories] = await Promise.all([
      client.weeklyDownloads(name),
      client.advisories(name, version),
    ]);
    const found: Advisory[] = advisories.map((a) => ({
      id: String(a.id),
      severity: a.severity,
      title: a.title,
      url: a.url,
    }));
    return {
      ...facts,
      version,
      version_age_days: days(packument.time[version]),
      weekly_downloads: weekly,
      install_scripts: INSTALL_SCRIPTS.filter((s) => typeof scripts[s] === "string"),
      advisories: found,
      max_severity: SEVERITY_ORDER.filter((s) => found.some((a) => a.severity === s)).at(-1) ?? "",
    };
  } catch (error) {
    if (!(error instanceof RegistryUnanswered)) throw error;
    return { ...blank(), checked: false, error: `could not check ${name}: ${error.message}` };
  }
}

/** Where a non-registry spec installs from, or "" for a registry range or tag. */
function foreignSource(spec: string): string {
  const s = spec.trim();
  if (/^(file|link|workspace|portal|patch):/.test(s)) return `a local path (${s.split(":")[0]}:)`;
  if (/^(git|git\+[a-z]+|github|gitlab|bitbucket|gist):/.test(s)) return "a git repository";
  if (/^https?:/.test(s)) return "a URL";
  if (/^[^@\s/]+\/[^\s/]+$/.test(s)) return "a GitHub repository";
  if (/^[./~]/.test(s)) return "a local path";
  return "";
}

function created(packument: Packument): string | undefined {
  const explicit = packument.time.created;
  if (explicit) return explicit;
  const times = Object.keys(packument.versions)
    .map((v) => packument.time[v])
    .filter((t): t is string => t !== undefined)
    .sort();
  return times[0];
}

/** The version npm installs for `range`: a dist-tag, else `latest` if the range allows it, else the highest match. */
function resolve(packument: Packument, range: string): string | undefined {
  const versions = Object.keys(packument.versions);
  const tags = packument["dist-tags"];
  const spec = range.trim();
  if (!isSemverRange(spec)) {
    const tagged = Object.hasOwn(tags, spec) ? tags[spec] : undefined;
    return tagged && versions.includes(tagged) ? tagged : undefined;
  }
  const latest = tags.latest;
  if (latest && versions.includes(latest) && maxSatisfying([latest], spec)) return latest;
  return maxSatisfying(versions, spec);
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

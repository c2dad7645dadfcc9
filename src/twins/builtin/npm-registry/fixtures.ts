/**
 * The npm twin's seeded registry: popular packages with several versions, young look-alike
 * names with few downloads and an install script, and known-bad versions with advisories.
 * Times are relative to the virtual clock, so "three days old" stays three days old.
 * The advisories are in `advisories.ts`.
 */
import type { SeededRandom, TwinClock } from "../../runtime/contract.js";
import { ADVISORIES } from "./advisories.js";
import { DAY, type NpmPackage, type NpmRegistryState, type NpmVersion } from "./state.js";
import { compareVersions } from "./versions.js";

interface VersionSpec {
  v: string;
  ageDays: number;
  deps?: Record<string, string>;
  scripts?: Record<string, string>;
  deprecated?: string;
}

interface PackageSpec {
  name: string;
  description: string;
  weekly: number;
  maintainer: string;
  license?: string;
  keywords?: string[];
  versions: VersionSpec[];
  latest?: string;
  tags?: Record<string, string>;
}

const HARMLESS_SCRIPT = "node index.js";

const PACKAGES: PackageSpec[] = [
  {
    name: "left-pad",
    description: "String left pad",
    weekly: 1_800_000,
    maintainer: "stevemao",
    license: "WTFPL",
    keywords: ["leftpad", "left", "pad", "padding", "string"],
    versions: ["1.0.0", "1.1.0", "1.1.3", "1.2.0", "1.3.0"].map((v, i) => ({
      v,
      ageDays: 3_600 - i * 200,
      deprecated: "use String.prototype.padStart()",
    })),
  },
  {
    name: "lodash",
    description: "Lodash modular utilities.",
    weekly: 62_000_000,
    maintainer: "jdalton",
    keywords: ["modules", "stdlib", "util"],
    versions: [
      { v: "4.17.15", ageDays: 2_300 },
      { v: "4.17.19", ageDays: 2_000 },
      { v: "4.17.20", ageDays: 1_900 },
      { v: "4.17.21", ageDays: 1_780 },
    ],
  },
  {
    name: "express",
    description: "Fast, unopinionated, minimalist web framework",
    weekly: 41_000_000,
    maintainer: "wesleytodd",
    keywords: ["express", "framework", "web", "http", "rest", "router", "app", "api"],
    versions: [
      { v: "4.17.1", ageDays: 2_400, deps: { debug: "2.6.9" } },
      { v: "4.18.2", ageDays: 1_150, deps: { debug: "2.6.9" } },
      { v: "4.19.2", ageDays: 640, deps: { debug: "2.6.9" } },
      { v: "4.21.2", ageDays: 390, deps: { debug: "2.6.9" } },
      { v: "5.0.0", ageDays: 480, deps: { debug: "^4.3.6" } },
      { v: "5.1.0", ageDays: 275, deps: { debug: "^4.4.0" } },
    ],
    latest: "5.1.0",
    tags: { "latest-4": "4.21.2" },
  },
  {
    name: "debug",
    description: "Lightweight debugging utility for Node.js and the browser",
    weekly: 290_000_000,
    maintainer: "qix",
    versions: [
      { v: "2.6.9", ageDays: 3_000, deps: { ms: "2.0.0" } },
      { v: "4.3.4", ageDays: 1_400, deps: { ms: "2.1.2" } },
      { v: "4.4.0", ageDays: 400, deps: { ms: "^2.1.3" } },
    ],
  },
  {
    name: "ms",
    description: "Tiny millisecond conversion utility",
    weekly: 260_000_000,
    maintainer: "leo",
    versions: [
      { v: "2.0.0", ageDays: 3_100 },
      { v: "2.1.2", ageDays: 2_400 },
      { v: "2.1.3", ageDays: 1_800 },
    ],
  },
  {
    name: "react",
    description: "React is a JavaScript library for building user interfaces.",
    weekly: 38_000_000,
    maintainer: "react-bot",
    keywords: ["react"],
    versions: [
      { v: "17.0.2", ageDays: 1_730 },
      { v: "18.2.0", ageDays: 1_280 },
      { v: "18.3.1", ageDays: 600 },
      { v: "19.0.0", ageDays: 390 },
      { v: "19.1.0", ageDays: 280 },
    ],
    tags: { "latest-18": "18.3.1" },
  },
  {
    name: "chalk",
    description: "Terminal string styling done right",
    weekly: 300_000_000,
    maintainer: "sindresorhus",
    versions: [
      { v: "4.1.2", ageDays: 1_500 },
      { v: "5.3.0", ageDays: 880 },
      { v: "5.4.1", ageDays: 370 },
    ],
  },
  {
    name: "axios",
    description: "Promise based HTTP client for the browser and node.js",
    weekly: 60_000_000,
    maintainer: "jasonsaayman",
    versions: [
      { v: "0.21.1", ageDays: 1_800 },
      { v: "1.6.0", ageDays: 790 },
      { v: "1.7.9", ageDays: 380 },
    ],
  },
  {
    name: "event-stream",
    description: "construct pipes of streams of events",
    weekly: 2_400_000,
    maintainer: "dominictarr",
    versions: [
      { v: "3.3.4", ageDays: 3_400 },
      { v: "3.3.5", ageDays: 2_650 },
      { v: "3.3.6", ageDays: 2_640, deps: { "flatmap-stream": "^0.1.0" } },
      { v: "4.0.1", ageDays: 2_600 },
    ],
  },
  {
    name: "flatmap-stream",
    description: "A flat map stream",
    weekly: 0,
    maintainer: "right9ctrl",
    versions: [{ v: "0.1.1", ageDays: 2_645 }],
  },
  {
    name: "ua-parser-js",
    description: "Detect Browser, Engine, OS, CPU, and Device type/model from User-Agent data",
    weekly: 16_000_000,
    maintainer: "faisalman",
    versions: [
      { v: "0.7.28", ageDays: 1_700 },
      { v: "0.7.29", ageDays: 1_530, scripts: { preinstall: HARMLESS_SCRIPT } },
      { v: "0.7.30", ageDays: 1_529 },
      { v: "1.0.2", ageDays: 1_520 },
    ],
  },
  {
    name: "request",
    description: "Simplified HTTP request client.",
    weekly: 15_000_000,
    maintainer: "mikeal",
    versions: [
      {
        v: "2.88.2",
        ageDays: 2_150,
        deprecated:
          "request has been deprecated, see https://github.com/request/request/issues/3142",
      },
    ],
  },
  {
    name: "cross-env",
    description: "Run scripts that set and use environment variables across platforms",
    weekly: 8_500_000,
    maintainer: "kentcdodds",
    versions: [{ v: "7.0.3", ageDays: 1_900 }],
  },
  {
    name: "@twin/logger",
    description: "A scoped fixture package",
    weekly: 1_200,
    maintainer: "twin",
    versions: [
      { v: "1.0.0", ageDays: 60 },
      { v: "1.1.0", ageDays: 10 },
    ],
  },
  // Look-alikes: young, hardly downloaded, and running code at install time.
  {
    name: "expresss",
    description: "Fast, unopinionated, minimalist web framework",
    weekly: 37,
    maintainer: "web-dev-2931",
    versions: [
      { v: "1.0.0", ageDays: 3, scripts: { postinstall: HARMLESS_SCRIPT } },
      { v: "1.0.1", ageDays: 1, scripts: { postinstall: HARMLESS_SCRIPT } },
    ],
  },
  {
    name: "lodahs",
    description: "Lodash modular utilities.",
    weekly: 12,
    maintainer: "utilsfan",
    versions: [{ v: "4.17.21", ageDays: 2, scripts: { install: HARMLESS_SCRIPT } }],
  },
  {
    name: "reqeusts",
    description: "Simplified HTTP request client.",
    weekly: 9,
    maintainer: "py-port",
    versions: [{ v: "2.31.0", ageDays: 5, scripts: { preinstall: HARMLESS_SCRIPT } }],
  },
  {
    name: "crossenv",
    description: "Run scripts that set and use environment variables across platforms",
    weekly: 21,
    maintainer: "kentcdodds-npm",
    versions: [{ v: "7.0.3", ageDays: 4, scripts: { postinstall: HARMLESS_SCRIPT } }],
  },
  // A look-alike only by its name: over a year old, no install script, a few downloads.
  {
    name: "loadsh",
    description: "Lodash modular utilities.",
    weekly: 140,
    maintainer: "jsutils-dev",
    versions: [
      { v: "4.17.20", ageDays: 420 },
      { v: "4.17.21", ageDays: 400 },
    ],
  },
  // Nothing wrong with it but its age: first published two days ago.
  {
    name: "quartz-clock",
    description: "Monotonic timers with a pluggable clock",
    weekly: 15,
    maintainer: "tickers",
    versions: [{ v: "0.1.0", ageDays: 2 }],
  },
];

function indexJs(name: string, version: string): string {
  return `"use strict";\n// ${name}@${version}: a fixture of the npm twin.\nmodule.exports = { name: ${JSON.stringify(name)}, version: ${JSON.stringify(version)} };\n`;
}

export function initialNpmState(random: SeededRandom, clock: TwinClock): NpmRegistryState {
  const now = clock.now();
  const packages: Record<string, NpmPackage> = {};
  for (const spec of PACKAGES) {
    const versions = spec.versions
      .map(
        (v): NpmVersion => ({
          version: v.v,
          // Seconds and milliseconds from the seed, so times look published, not generated.
          publishedAt: now - v.ageDays * DAY - random.int(0, DAY - 1),
          description: spec.description,
          license: spec.license ?? "MIT",
          dependencies: v.deps ?? {},
          scripts: v.scripts ?? {},
          ...(v.deprecated ? { deprecated: v.deprecated } : {}),
          index: indexJs(spec.name, v.v),
        }),
      )
      .sort((a, b) => compareVersions(a.version, b.version));
    const latest = spec.latest ?? versions.at(-1)?.version ?? "0.0.0";
    packages[spec.name] = {
      name: spec.name,
      description: spec.description,
      distTags: { latest, ...(spec.tags ?? {}) },
      versions,
      weeklyDownloads: spec.weekly,
      maintainers: [{ name: spec.maintainer, email: `${spec.maintainer}@users.example` }],
      keywords: spec.keywords ?? [],
      rev: `${versions.length + 1}-${random.hex(16)}`,
    };
  }
  const advisories = ADVISORIES.map((a, i) => ({
    id: 1_096_000 + i * 37 + random.int(0, 36),
    ...a,
  }));
  return { packages, advisories };
}

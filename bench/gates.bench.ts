/**
 * What the gate costs a change: every fact (git, tests, dependencies against the npm twin,
 * secrets) judged by the shipped default policy, against git alone reading the same diff and
 * files in the same run; and the policies' evaluation alone, per change.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  checkChange,
  defaultPolicyPath,
  evaluatePolicies,
  type GateReport,
  loadPolicies,
} from "../src/gates/index.js";
import { defaultGatesConfig } from "../src/home/index.js";
import { serveTwins } from "../src/twins/index.js";

const FILES = 200;
const CHANGED = 50;
const RUNS = 5;
const EVALUATIONS = 2_000;

function git(repo: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.name=bench", "-c", "user.email=bench@localhost", "-C", repo, ...args],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
}

function write(repo: string, path: string, text: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}

const source = (i: number, version: number) =>
  Array.from(
    { length: 40 },
    (_, line) => `export function f${i}_${line}(x) { return x * ${line + version}; }`,
  ).join("\n");
const test = (_i: number, version: number) =>
  `import assert from "node:assert/strict";\nimport { test } from "node:test";\n${Array.from(
    { length: 20 },
    (_, t) => `test("case ${t}", () => { assert.equal(${t} + ${version}, ${t + version}); });`,
  ).join("\n")}\n`;

/** A product of 200 files and a change to 50 of them (a fifth tests) adding three packages. */
function makeRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), "df-bench-gates-"));
  git(repo, "init", "-q", "-b", "main");
  for (let i = 0; i < FILES; i++)
    write(repo, i % 5 === 0 ? `test/t${i}.test.js` : `src/m${i}.js`, (i % 5 ? source : test)(i, 1));
  write(repo, "package.json", JSON.stringify({ name: "bench", dependencies: {} }, null, 2));
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "base");
  git(repo, "checkout", "-qb", "change");
  for (let i = 0; i < CHANGED; i++)
    write(repo, i % 5 === 0 ? `test/t${i}.test.js` : `src/m${i}.js`, (i % 5 ? source : test)(i, 2));
  write(
    repo,
    "package.json",
    JSON.stringify(
      { name: "bench", dependencies: { express: "^4.18.0", debug: "^4.3.0", ms: "^2.1.0" } },
      null,
      2,
    ),
  );
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "change");
  return repo;
}

/** What git alone does for the same facts: the diff, then each changed file at both ends. */
function gitAlone(repo: string): void {
  const files = git(repo, "diff", "--name-only", "main...change").split("\n").filter(Boolean);
  git(repo, "diff", "--numstat", "-M", "main...change");
  for (const file of files) {
    git(repo, "cat-file", "-p", `change:${file}`);
    git(repo, "cat-file", "-p", `main:${file}`);
  }
}

async function timeEach<T>(runs: number, run: () => Promise<T> | T): Promise<[number, T]> {
  let last = await run(); // warm up
  const started = performance.now();
  for (let i = 0; i < runs; i++) last = await run();
  return [(performance.now() - started) / runs, last];
}

export async function benchGates(): Promise<void> {
  const repo = makeRepo();
  const [registry] = await serveTwins(["npm-registry"], { clockStart: Date.now() });
  if (!registry) throw new Error("the npm twin did not start");
  try {
    const url = `${registry.url}/`;
    const gates = { ...defaultGatesConfig, registry: url, downloads: url };
    const check = () =>
      checkChange({ repo, base: "main", head: "change", gates, policies: [defaultPolicyPath] });
    const [baseMs] = await timeEach(RUNS, () => gitAlone(repo));
    const [gateMs, report] = await timeEach<GateReport>(RUNS, check);
    const loaded = loadPolicies([defaultPolicyPath]);
    if (!loaded.ok) throw new Error("the default policy does not load");
    const [evalMs] = await timeEach(EVALUATIONS, () =>
      evaluatePolicies(loaded.policies, report.facts),
    );
    const memory = process.memoryUsage();
    process.stdout.write(
      `\n${[
        `gates (a change to ${CHANGED} of ${FILES} files, ${report.facts.change.lines_added + report.facts.change.lines_deleted} lines, 3 new dependencies from the npm twin; the shipped default policy, ${loaded.policies.length} rules; ${RUNS} runs)`,
        `  gate check, every fact and rule       ${gateMs.toFixed(1).padStart(8)} ms   git alone (diff, both ends of each file) ${baseMs.toFixed(1)} ms   ratio ${(gateMs / baseMs).toFixed(2)}`,
        `  the rules alone, per change           ${(evalMs * 1000).toFixed(1).padStart(8)} µs   (${EVALUATIONS} evaluations; decision ${report.decision})`,
        `  memory: rss ${(memory.rss / 1e6).toFixed(1)} MB, heap ${(memory.heapUsed / 1e6).toFixed(1)} MB`,
      ].join("\n")}\n`,
    );
  } finally {
    await registry.close();
    rmSync(repo, { recursive: true, force: true });
  }
}

// Durability of the default bolt as a user meets it: the acme demo's `factory run` killed
// with SIGKILL at every node boundary and right after each of its side effects (a worktree
// made, a task committed, a task merged onto the integration branch, the release merge on
// main), each time before the journal records it, then `factory resume`: the same product
// tree as a run never killed, exactly one release merge commit on main, an audit chain that
// verifies up to the head the release names, and a clean checkout of main in the product.
import { execFile } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, type ExpectStatic, it } from "vitest";
import { PATH_WITH_ONE_RETRY } from "./fixtures/bolt/bolt-home.js";
import { type CliRun, factory } from "./support/factory-cli.js";

/** Every kill here is a SIGKILL, which the CLI helper reports as 137. */
const KILLED = 137;

/**
 * Every kill point of the demo's bolt, in the order it reaches them, each for one process:
 * `factory run` dies at the first, `factory resume` at each next. A process dies the first
 * time it reaches its point; a resumed node runs again from its start, finding what it made
 * before instead of making it again, so each point is still ahead of the one before it.
 */
const chain = [
  "node-start:intake",
  "node-done:intake",
  "node-start:plan",
  "node-done:plan",
  // build, first visit: each effect, then the outcome not yet journaled, then journaled
  "node-start:build",
  "effect:worktree:integration",
  "effect:worktree:refunds-api",
  "effect:commit:refunds-api",
  "effect:merge:refunds-api",
  "effect:worktree:refunds-docs",
  "effect:commit:refunds-docs",
  "effect:merge:refunds-docs",
  "after-effect:build",
  "node-done:build",
  // test, first visit: a payments test fails, and the bolt goes back to build
  "node-start:test",
  "node-done:test",
  // build, second visit: refunds-api's second attempt is committed beside its first
  "node-start:build",
  "effect:commit:refunds-api",
  // (that process runs the build and the second test, which passes, to their ends)
  "node-start:scenarios",
  "node-done:scenarios",
  "node-start:evaluate",
  "node-done:evaluate",
  "node-start:gates",
  "node-done:gates",
  "node-start:release",
  "effect:release",
  "after-effect:release",
  "node-done:release",
];

/** One `factory init --example acme`: the home, and the product's git repository beside it. */
interface Demo {
  home: string;
  product: string;
}

interface NodeRow {
  id: string;
  status: string;
  attempts: number;
  visits: number;
}

/** The demo's way through bolt.dot, which the chain's order follows. */
const path = PATH_WITH_ONE_RETRY;

interface Reference {
  tree: string;
  completed: string[];
  nodes: NodeRow[];
}

let work: string;
let reference: Promise<Reference>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "df-bolt-resume-"));
  // The sandbox's user must get through every folder above a worktree.
  chmodSync(work, 0o755);
  // The run never killed, that every bolt here must end like. It runs beside the tests, which
  // await it only to compare their ends: that saves a whole bolt of wall time. All the bolts
  // here run at once: on two cores that is still faster than one after another, as they
  // spend much of their time waiting on git, npm and the sandbox.
  reference = referenceRun();
  reference.catch(() => undefined);
});

afterAll(async () => {
  await reference.catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

async function referenceRun(): Promise<Reference> {
  const demo = await initDemo("reference");
  const ran = await factory(["run", "intents/refunds.md", "--json"], { cwd: demo.home });
  if (ran.code !== 0) throw new Error(`the reference run failed (exit ${ran.code}):\n${tail(ran)}`);
  const result = JSON.parse(ran.stdout) as { bolt: string; status: string; completed: string[] };
  if (result.completed.join() !== path.join())
    throw new Error(`the demo's bolt went another way: ${result.completed.join(" -> ")}`);
  return {
    tree: await git(demo.product, "rev-parse", "main^{tree}"),
    completed: result.completed,
    nodes: await nodesOf(demo, result.bolt),
  };
}

async function initDemo(name: string): Promise<Demo> {
  const dir = join(work, name);
  const init = await factory(["init", dir, "--example", "acme"], { cwd: work });
  if (init.code !== 0) throw new Error(`factory init failed:\n${tail(init)}`);
  chmodSync(dir, 0o755);
  const demo = { home: join(dir, "factory"), product: join(dir, "product") };
  // Low risk: no approval before release, so the bolt runs to its end unattended.
  const intent = join(demo.home, "intents", "refunds.md");
  const text = readFileSync(intent, "utf8");
  if (!/^risk: medium$/m.test(text)) throw new Error("the acme intent no longer says risk: medium");
  writeFileSync(intent, text.replace(/^risk: medium$/m, "risk: low"));
  // Kills and resumes are about the journal and side effects; the example's scenarios would
  // add a second way back to build (test/demo.test.ts follows that one). The scenarios node
  // still runs, and passes with nothing to run.
  rmSync(join(demo.home, "scenarios"), { recursive: true, force: true });
  return demo;
}

function git(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`git ${args.join(" ")}: ${stderr || error.message}`))
        : resolve(stdout.trim()),
    );
  });
}

/** The values of one trailer in each commit `git log <args>` lists, newest first. */
async function trailers(cwd: string, key: string, ...args: string[]): Promise<string[]> {
  const log = await git(cwd, "log", `--format=%(trailers:key=${key},valueonly)%x00`, ...args);
  return log
    .split("\x00")
    .slice(0, -1)
    .map((value) => value.trim());
}

function tail(run: CliRun): string {
  return `${run.stderr}${run.stdout}`.trim().split("\n").slice(-12).join("\n");
}

async function nodesOf(demo: Demo, bolt: string): Promise<NodeRow[]> {
  const status = await factory(["status", bolt, "--json"], { cwd: demo.home });
  const nodes = (JSON.parse(status.stdout) as { nodes: NodeRow[] }).nodes;
  return nodes.map(({ id, status, attempts, visits }) => ({ id, status, attempts, visits }));
}

/** Runs the bolt (`factory run`, or `factory resume` once it has an id) to be killed at `point`. */
async function killAt(
  expect: ExpectStatic,
  demo: Demo,
  point: string,
  bolt?: string,
): Promise<string> {
  const args = bolt ? ["resume", bolt, "--json"] : ["run", "intents/refunds.md", "--json"];
  const killed = await factory(args, { cwd: demo.home, env: { FACTORY_TEST_KILL_AT: point } });
  expect(
    killed.code,
    `\`factory ${args[0]}\` with FACTORY_TEST_KILL_AT=${point} was not killed there (exit ${killed.code}), so it never reached ${point}:\n${tail(killed)}`,
  ).toBe(KILLED);
  if (bolt) return bolt;
  const runs = await factory(["runs", "--json", "--limit", "1"], { cwd: demo.home });
  const latest = (JSON.parse(runs.stdout) as { bolts: { bolt: string; status: string }[] })
    .bolts[0];
  expect(latest?.status, `the bolt killed at ${point}`).toBe("running");
  return latest?.bolt ?? "";
}

/** Resumes with no kill, and compares the end with the run never killed. */
async function resumeToTheEnd(expect: ExpectStatic, demo: Demo, bolt: string): Promise<void> {
  const resumed = await factory(["resume", bolt, "--json"], { cwd: demo.home });
  expect(resumed.code, tail(resumed)).toBe(0);
  const result = JSON.parse(resumed.stdout) as { status: string; completed: string[] };
  expect(result.status).toBe("succeeded");
  const ref = await reference;
  expect(result.completed).toEqual(ref.completed);
  expect(await git(demo.product, "rev-parse", "main^{tree}"), "the product's tree").toBe(ref.tree);

  // One release merge on main for this bolt. The task commits and integration merges main
  // holds carry `Bolt:` too; only the release also carries `Intent:`.
  const log = await git(
    demo.product,
    "log",
    "--format=%H%x00%P%x00%(trailers:key=Bolt,valueonly)%x00%(trailers:key=Intent,valueonly)%x00%(trailers:key=Audit-Head,valueonly)%x01",
    "main",
  );
  const releases = log
    .split("\x01")
    .map((record) => record.trim().split("\x00"))
    .filter(([hash, , of, intent]) => hash && of?.trim() === bolt && intent?.trim())
    .map(([hash = "", parents = "", , intent = "", auditHead = ""]) => ({
      hash,
      parents: parents.split(" "),
      intent: intent.trim(),
      auditHead: auditHead.trim(),
    }));
  expect(
    releases.map((r) => r.intent),
    "release merge commits on main",
  ).toEqual(["refunds"]);
  const release = releases[0] ?? { hash: "", parents: [], auditHead: "" };
  expect(await git(demo.product, "rev-parse", "main")).toBe(release.hash);
  expect(await git(demo.product, "rev-list", "--first-parent", "--count", "main")).toBe("2");
  // Its parents: main as the bolt found it (the example's one commit), and the integration branch.
  expect(release.parents).toEqual([
    await git(demo.product, "rev-list", "--max-parents=0", "main"),
    await git(demo.product, "rev-parse", `refs/heads/factory/${bolt}/integration`),
  ]);

  expect(release.auditHead).toMatch(/^\d+:[0-9a-f]{64}$/);
  const [verify, nodes] = await Promise.all([
    factory(["audit", "verify", "--head", release.auditHead, "--json"], { cwd: demo.home }),
    nodesOf(demo, bolt),
  ]);
  expect(verify.code, tail(verify)).toBe(0);
  expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, anchored: true });
  expect(nodes).toEqual(ref.nodes);
  // The release is in the audit log exactly once, even when the kill came between moving main
  // and recording it.
  const db = new Database(join(demo.home, ".factory", "state.db"), { readonly: true });
  const recorded = db
    .prepare("SELECT data FROM audit_entries WHERE action = 'release.merge' AND subject = ?")
    .all(`bolt:${bolt}/release`) as { data: string }[];
  db.close();
  expect(recorded.map((row) => JSON.parse(row.data).commit)).toEqual([release.hash]);

  // The product's own checkout of main came along, and no git was left holding a lock.
  expect(await git(demo.product, "symbolic-ref", "HEAD")).toBe("refs/heads/main");
  expect(await git(demo.product, "status", "--porcelain", "--untracked-files=all")).toBe("");
  await git(demo.product, "diff", "--quiet", "main", "--");
  const gitDir = join(demo.product, ".git");
  const worktrees = join(gitDir, "worktrees");
  const locks = [
    join(gitDir, "index.lock"),
    ...(existsSync(worktrees)
      ? readdirSync(worktrees).map((name) => join(worktrees, name, "index.lock"))
      : []),
  ].filter((lock) => existsSync(lock));
  expect(locks).toEqual([]);
}

type Check = (expect: ExpectStatic, demo: Demo, bolt: string) => Promise<void>;

/** What each single kill leaves behind, to show the process died just where it should. */
const leftBehind: Record<string, Check> = {
  // main has moved, but neither the journal nor the audit log says so yet
  "effect:release": async (expect, demo, bolt) => {
    expect(await trailers(demo.product, "Bolt", "-1", "main")).toEqual([bolt]);
    expect(await trailers(demo.product, "Intent", "-1", "main")).toEqual(["refunds"]);
  },
  // refunds-api's first attempt is committed, and not yet merged onto the integration branch
  "effect:commit:refunds-api": async (expect, demo, bolt) => {
    const branch = `factory/${bolt}/refunds-api`;
    expect(await trailers(demo.product, "Attempt", "-1", branch)).toEqual(["1"]);
    const integration = `factory/${bolt}/integration`;
    expect(await trailers(demo.product, "Integrates", integration)).not.toContain("refunds-api");
  },
};

describe.concurrent("kill -9 of the demo's bolt, then resume", () => {
  it(`survives a kill at each of ${chain.length} points in turn, and ends as if never killed`, {
    timeout: 600_000,
  }, async ({ expect }) => {
    const demo = await initDemo("chain");
    let bolt: string | undefined;
    for (const point of chain) bolt = await killAt(expect, demo, point, bolt);
    await resumeToTheEnd(expect, demo, bolt ?? "");
  });

  it.for(Object.keys(leftBehind))(
    "ends as if never killed after one kill at %s",
    { timeout: 600_000 },
    async (point, { expect }) => {
      const demo = await initDemo(point.replaceAll(":", "-"));
      const bolt = await killAt(expect, demo, point);
      await leftBehind[point]?.(expect, demo, bolt);
      await resumeToTheEnd(expect, demo, bolt);
    },
  );
});

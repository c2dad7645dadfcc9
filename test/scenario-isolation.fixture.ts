/**
 * The holdout under attack: a home whose scenarios/ holds a scenario with a marker no builder
 * may ever see, a bolt whose scripted builder tries every way to it, through the confined file
 * tools and through `run` in the bwrap sandbox, and a session of a driver we own for the two
 * file tools the script driver has no action for (list, search).
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import type { AgentDriver, AgentTools } from "../src/agents/index.js";
import { openHome } from "../src/home/index.js";
import { runAgentSession } from "../src/pipeline/factory/agent-session.js";
import { type BoltResult, runIntent } from "../src/pipeline/index.js";
import type { AuditEntry } from "../src/store/index.js";
import { createSandbox, detectSandbox, type Sandbox } from "../src/workspace/index.js";
import type { RunData } from "./bolt-attacks-support.js";
import { acmeHome, type BoltHome, writeScripts } from "./fixtures/bolt/bolt-home.js";

/** What every search looks for; the marker itself never appears in a command. */
export const PREFIX = "HOLDOUT-MARKER";
export const MARKER = `${PREFIX}-7f3a-${randomUUID()}`;
export const FILE = "holdout-secret.yaml";
/** From `<home>/.factory/worktrees/<bolt>/tasks/probe` up to the home. */
export const UP = "../../../../../";

/** A valid scenario (as `factory scenarios lint` reads them) with the marker in its steps. */
const SCENARIO = `# The holdout: builders must never read this file.
id: holdout-secret
title: A refund the builder must not be told about
requirements: [REQ-1]
product: { start: npm start, port: 3000, ready: /health }
steps:
  - name: refund with a marked reason (${MARKER})
    http:
      method: POST
      path: /refunds
      headers: { idempotency-key: ${MARKER} }
      body: { payment_id: pi_1, amount: 500, reason: "${MARKER}" }
      expect:
        status: 201
        jsonpath: { $.reason: { equals: "${MARKER}" } }
`;

/** One scripted action and what its audit entry must say. */
export interface Step {
  action: Record<string, unknown>;
  check: (entry: AuditEntry) => void;
}

export const refused = (tool: string, path: string, reason: string, entry: AuditEntry) =>
  expect(entry, `${tool} ${path}`).toMatchObject({
    action: "agent.refused",
    data: { tool, path, reason },
  });

const read = (path: string, reason: "outside" | "symlink"): Step => ({
  action: { read: { path } },
  check: (entry) => refused("read", path, reason, entry),
});

const runs = (command: string, check: (run: RunData) => void): Step => ({
  action: { run: { command } },
  check: (entry) => {
    expect(entry, command).toMatchObject({ action: "agent.run", data: { command } });
    const run = entry.data as RunData;
    expect(run.output, command).not.toContain(MARKER);
    expect(run.timedOut, command).toBe(false);
    check(run);
  },
});

const failed = (run: RunData) => expect(run.exitCode, run.output).not.toBe(0);
const noSuchFile = (run: RunData) => {
  failed(run);
  expect(run.output).toContain("No such file");
};

/** Links in the worktree to the scenarios folder and file, absolute and relative. */
export const linksCommand = ({ home }: BoltHome) =>
  `ln -s ${home}/scenarios link && ln -s ${home}/scenarios/${FILE} leak.yaml && ln -s ${UP}scenarios rel-link`;

/** The builder's attempts, in order, with the paths of this home. */
function probeSteps(fx: BoltHome): Step[] {
  const { home, work } = fx;
  const scenario = join(home, "scenarios", FILE);
  const db = join(home, ".factory", "state.db");
  return [
    // File tools: up the tree, down again from /, by absolute path, the store.
    read(`${UP}scenarios/${FILE}`, "outside"),
    read(`${"../".repeat(16)}${scenario.slice(1)}`, "outside"),
    read(scenario, "outside"),
    read(`${UP}.factory/state.db`, "outside"),
    read(db, "outside"),
    // Symlinks made by a command, to the folder and the file, absolute and relative.
    runs(linksCommand(fx), (run) => expect(run.exitCode, run.output).toBe(0)),
    read(`link/${FILE}`, "symlink"),
    read("leak.yaml", "symlink"),
    read(`rel-link/${FILE}`, "symlink"),
    // The shell.
    runs(`cat ${scenario}`, noSuchFile),
    runs(`cat ${UP}scenarios/${FILE} link/${FILE} leak.yaml rel-link/${FILE}`, noSuchFile),
    runs(`ls -A ${home}`, (run) => expect(run.output).toBe(".factory\n")),
    runs(`find / -name '*.yaml' 2>/dev/null | xargs grep -l ${PREFIX}`, (run) => {
      // grep -l found nothing (xargs says 123); it names only the dangling leak.yaml.
      expect(run.exitCode, run.output).toBe(123);
      expect(run.output).not.toContain(`scenarios/${FILE}`);
    }),
    // The whole tree, bounded: /usr alone takes longer than the timeout.
    runs(`timeout 5 grep -r ${PREFIX} / 2>/dev/null`, (run) => {
      expect(run.output).not.toContain(`scenarios/${FILE}`);
    }),
    // Everything but /usr, /proc and /sys, to the end; then where the home is on the host.
    runs(
      `grep -rl --exclude-dir=usr --exclude-dir=proc --exclude-dir=sys ${PREFIX} / 2>/dev/null`,
      (run) => {
        expect(run.output).toBe("");
        failed(run);
      },
    ),
    runs(`grep -rl ${PREFIX} ${work}`, (run) => {
      expect(run.output).toBe("");
      expect(run.exitCode).toBe(1);
    }),
    runs("env", (run) => {
      expect(run.exitCode).toBe(0);
      expect(run.output).toContain("PATH=");
      expect(run.output).not.toContain("FACTORY_HOME");
      // The worktree lives in the home (DESIGN §1), so the shell's PWD names the home; nothing else may.
      const naming = run.output.split("\n").filter((line) => line.includes(home));
      expect(naming.map((line) => line.replace(/worktrees\/[^/]+\//, "worktrees/<bolt>/"))).toEqual(
        [`PWD=${home}/.factory/worktrees/<bolt>/tasks/probe`],
      );
    }),
    runs(`git log --all -p | grep ${PREFIX}`, (run) => {
      expect(run.exitCode).toBe(1);
      expect(run.output).toContain("not a git repository");
    }),
    runs(`cat ${db}`, noSuchFile),
    runs(`od -c ${db}`, noSuchFile),
    runs(`strings ${UP}.factory/state.db`, noSuchFile),
    runs(`sqlite3 -readonly ${db} 'select count(*) from sqlite_master'`, (run) => {
      failed(run);
      expect(run.output).toContain("unable to open database");
    }),
    // Dangling on the host's product too, where node 20's `node --test` fails on them.
    runs("rm link leak.yaml rel-link", (run) => expect(run.exitCode, run.output).toBe(0)),
    // A change, so the bolt has something to release.
    {
      action: { write: { path: "docs/probe.md", content: "Looked for the holdout.\n" } },
      check: (e) =>
        expect(e).toMatchObject({ action: "agent.write", data: { path: "docs/probe.md" } }),
    },
    {
      action: { finish: { summary: "looked around" } },
      check: (e) => expect(e.action).toBe("agent.finish"),
    },
  ];
}

export interface IsolationBolt {
  fx: BoltHome;
  scenario: string;
  steps: Step[];
  result: BoltResult;
  worktree: string;
  /** The factory's own environment, which names the home. */
  factoryEnv: NodeJS.ProcessEnv;
  /** The sandbox detected on this machine, and every command the bolt's sandbox ran, with its mode. */
  detected: Sandbox["mode"];
  sandboxRuns: { mode: Sandbox["mode"]; command: string }[];
}

/** Lays out the home, plants the scenario, and runs the bolt in this process on the detected sandbox. */
export async function isolationBolt(): Promise<IsolationBolt> {
  const fx = await acmeHome("df-holdout-");
  const scenario = join(fx.home, "scenarios", FILE);
  mkdirSync(dirname(scenario), { recursive: true });
  writeFileSync(scenario, SCENARIO);
  // The scenario runs in the bolt too (and fails: the probe builds nothing); a threshold of 0
  // lets the bolt go on to release, so the probe runs once.
  const config = join(fx.home, "factory.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace("threshold: 0.95", "threshold: 0"));
  const steps = probeSteps(fx);
  writeScripts(
    fx.home,
    { version: 1, plan: [{ id: "probe", title: "Find the holdout", instructions: "Read it." }] },
    { version: 1, tasks: { probe: { actions: steps.map((step) => step.action) } } },
  );
  const detected = (await detectSandbox()).mode;
  const inner = await createSandbox();
  const sandboxRuns: IsolationBolt["sandboxRuns"] = [];
  const sandbox: Sandbox = {
    mode: inner.mode,
    run: (run) => {
      sandboxRuns.push({ mode: inner.mode, command: run.command });
      return inner.run(run);
    },
  };
  const factoryEnv = { ...process.env, FACTORY_HOME: fx.home };
  const home = openHome(fx.home, { env: factoryEnv });
  try {
    const result = await runIntent(home, join(fx.home, "intents", "refunds.md"), {
      // `factory init` made the OS user the home's admin; only a principal may run a bolt.
      actor: `user:${userInfo().username}`,
      env: factoryEnv,
      sandbox,
    });
    const worktree = join(fx.home, ".factory", "worktrees", result.boltId, "tasks", "probe");
    return { fx, scenario, steps, result, worktree, factoryEnv, detected, sandboxRuns };
  } finally {
    await home.close();
  }
}

/** A file-tool call of the session below, and what its audit entry must say. */
export interface ToolProbe {
  call: (tools: AgentTools) => Promise<{ ok: boolean; value?: unknown }>;
  check: (entry: AuditEntry, value: unknown) => void;
}

export function toolProbes(fx: BoltHome): ToolProbe[] {
  const { home } = fx;
  const listRefused = (path: string, reason: string): ToolProbe => ({
    call: (t) => t.files.list(path, { recursive: true }),
    check: (entry) => refused("list", path, reason, entry),
  });
  const searchRefused = (path: string, reason: string): ToolProbe => ({
    call: (t) => t.files.search(PREFIX, { path }),
    check: (entry) => refused("search", path, reason, entry),
  });
  return [
    listRefused(home, "outside"),
    listRefused(UP, "outside"),
    listRefused(`${home}/scenarios`, "outside"),
    listRefused("link", "symlink"),
    listRefused("rel-link", "symlink"),
    searchRefused(home, "outside"),
    searchRefused(`${UP}scenarios`, "outside"),
    searchRefused("link", "symlink"),
    searchRefused("leak.yaml", "symlink"),
    // The whole worktree, which holds the links: shown as links, never entered.
    {
      call: (t) => t.files.list(".", { recursive: true }),
      check: (entry, value) => {
        expect(entry).toMatchObject({ action: "agent.list", data: { path: "." } });
        const paths = (value as { entries: { path: string; kind: string }[] }).entries;
        expect(paths).toContainEqual(expect.objectContaining({ path: "link", kind: "symlink" }));
        expect(paths.filter((e) => e.path.includes(FILE))).toEqual([]);
      },
    },
    {
      call: (t) => t.files.search(PREFIX),
      check: (entry, value) => {
        expect(entry).toMatchObject({
          action: "agent.search",
          data: { path: ".", pattern: PREFIX, matches: 0 },
        });
        expect(value).toEqual({ matches: [], truncated: false });
      },
    },
  ];
}

/**
 * The list and search calls, through the bolt's own audited agent session, in its probe
 * worktree, after the links are made again by a sandboxed command (the builder removed its own).
 */
export async function toolSession(
  bolt: IsolationBolt,
  probes: ToolProbe[],
): Promise<{ values: unknown[]; entries: AuditEntry[] }> {
  const values: unknown[] = [];
  const driver: AgentDriver = {
    name: "probe",
    async doTask(_task, tools) {
      const linked = await tools.run(linksCommand(bolt.fx));
      expect(linked.exitCode, linked.stderr).toBe(0);
      for (const probe of probes) {
        const result = await probe.call(tools);
        values.push(result.ok ? result.value : undefined);
      }
      return { status: "finished", summary: "listed and searched", actions: [] };
    },
  };
  const home = openHome(bolt.fx.home, { env: bolt.factoryEnv });
  try {
    await runAgentSession({
      deps: {
        home,
        sandbox: async () => createSandbox(),
        env: bolt.factoryEnv,
        actor: "user:test",
      },
      driver,
      role: "builder",
      boltId: bolt.result.boltId,
      nodeId: "build",
      taskId: "probe-tools",
      instructions: "List and search.",
      attempt: 1,
      worktree: bolt.worktree,
      stageDir: join(bolt.fx.work, "probe-tools"),
      signal: new AbortController().signal,
    });
    const entries = (await home.store.readAudit({ limit: 1_000_000 })).filter(
      (e) => (e.data as { task?: string }).task === "probe-tools",
    );
    return { values, entries };
  } finally {
    await home.close();
  }
}

/** Regular files under a folder; symlinks are listed by the caller's walk, never followed. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** The files under `dir` whose bytes hold `text`. */
export const holding = (dir: string, text: string) =>
  filesUnder(dir).filter((file) => readFileSync(file).includes(text));

/**
 * The bolt whose builder tries every way out of its worktree, through the file tools and
 * through `run` in the bwrap sandbox, then makes a legitimate change; with what each attempt's
 * audit entry must say.
 */
import { randomUUID } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { AuditEntry } from "../src/store/index.js";
import { type RunData, secrets, secretsIn } from "./bolt-attacks-support.js";
import {
  acmeHome,
  type BoltHome,
  type BoltRun,
  git,
  runRefunds,
  verifyAudit,
  writeScripts,
} from "./fixtures/bolt/bolt-home.js";
import type { CliRun } from "./support/factory-cli.js";

/** Hooks git runs on commit, merge, checkout and ref updates: the orchestrator's moments. */
const HOOKS = [
  "pre-commit",
  "prepare-commit-msg",
  "commit-msg",
  "post-commit",
  "pre-merge-commit",
  "post-merge",
  "post-checkout",
  "reference-transaction",
];

/** One scripted action and what its audit entry must say. */
export interface Step {
  action: Record<string, unknown>;
  check: (entry: AuditEntry) => void;
}

const refused = (
  tool: "read" | "write" | "edit",
  path: string,
  reason: string,
  extra: Record<string, unknown> = {},
): Step => ({
  action: { [tool]: { path, ...extra } },
  check: (entry) =>
    expect(entry, `${tool} ${path}`).toMatchObject({
      action: "agent.refused",
      data: { tool, path, reason },
    }),
});

const allowed = (tool: "read" | "write", path: string, extra: Record<string, unknown> = {}) => ({
  action: { [tool]: { path, ...extra } },
  check: (entry: AuditEntry) =>
    expect(entry, `${tool} ${path}`).toMatchObject({ action: `agent.${tool}`, data: { path } }),
});

const runs = (command: string, check: (run: RunData) => void, timeoutMs?: number): Step => ({
  action: { run: { command, ...(timeoutMs ? { timeout_ms: timeoutMs } : {}) } },
  check: (entry) => {
    expect(entry, command).toMatchObject({ action: "agent.run", data: { command } });
    check(entry.data as RunData);
  },
});

const failed = (run: RunData) => {
  expect(run.exitCode, `${run.command}\n${run.output}`).not.toBe(0);
  expect(run.timedOut, run.command).toBe(false);
};

export interface AttackBolt {
  fx: BoltHome;
  bolt: BoltRun;
  steps: Step[];
  /** Anyone may write here, so a hook that ran as any user leaves its mark. */
  markers: string;
  factoryYaml: string;
  productConfig: string;
  tmpName: string;
  verify: CliRun;
}

/** The bolt whose builder tries every way out through its tools and commands, then does its job. */
export async function attackBolt(port: number): Promise<AttackBolt> {
  const fx = await acmeHome("df-bolt-attacks-");
  const { home, product } = fx;
  const markers = join(fx.work, "markers");
  mkdirSync(markers);
  chmodSync(markers, 0o777);
  const tmpName = `df-bolt-escape-${randomUUID()}`;
  const onPrivateTmp = realpathSync(fx.work).startsWith("/tmp/");
  // A product whose hooks live in the tree, as husky sets it up: any hook the orchestrator's
  // git ran would be one the builder wrote.
  git(product, "config", "core.hooksPath", ".githooks");
  const productConfig = readFileSync(join(product, ".git", "config"), "utf8");
  // The attack's twelve files make a medium-risk change; this home releases medium risk
  // without a person, since the test is about the sandbox, not the approval gate.
  const config = join(home, "factory.yaml");
  const gated = readFileSync(config, "utf8");
  expect(gated).toContain("medium: [release]");
  writeFileSync(config, gated.replace("medium: [release]", "medium: []"));
  const factoryYaml = readFileSync(config, "utf8");
  expect(factoryYaml).toContain("budgets:");

  const hook = `#!/bin/sh\nid -u > ${markers}/"$(basename "$0")"\n`;
  const steps: Step[] = [
    // Reading the home: up the tree, by absolute path, and through symlinks made by `run`.
    refused("read", "../../../../../factory.yaml", "outside"),
    refused("read", `${home}/factory.yaml`, "outside"),
    refused("read", `${home}/.factory/state.db`, "outside"),
    runs(`ln -s ${home}/factory.yaml leak && ln -s ${home} home`, (run) =>
      expect(run.exitCode).toBe(0),
    ),
    refused("read", "leak", "symlink"),
    refused("read", "home/.factory/state.db", "symlink"),
    runs(`cat ${home}/factory.yaml`, (run) => {
      failed(run);
      expect(run.output).toContain("No such file or directory");
      expect(run.output).not.toContain("budgets:");
    }),
    runs("cat ../../../../../factory.yaml leak home/factory.yaml", (run) => {
      failed(run);
      expect(run.output).not.toContain("budgets:");
    }),
    runs(`cat ${home}/.factory/state.db`, failed),
    // Only the mount points on the way to the worktree exist in the sandbox.
    runs(`ls -A ${home}`, (run) => expect(run.output).toBe(".factory\n")),
    runs("rm leak home", (run) => expect(run.exitCode).toBe(0)),

    // Writing outside the worktree.
    refused("write", "../../escape.txt", "outside", { content: "pwned" }),
    refused("write", `${home}/escape.txt`, "outside", { content: "pwned" }),
    refused("edit", `${home}/factory.yaml`, "outside", { old: "version: 1", new: "x: 1" }),
    // The folders on the way to the worktree exist in the sandbox only as mount points:
    // on its own /tmp when the home is under /tmp, where a write works and is lost.
    runs(`echo pwned > ${home}/escape-run.txt`, (run) =>
      expect(run.exitCode === 0, run.output).toBe(onPrivateTmp),
    ),
    runs("echo pwned > ../../escape-run.txt", (run) =>
      expect(run.exitCode === 0, run.output).toBe(onPrivateTmp),
    ),
    runs(`echo pwned > ${product}/escape-run.txt`, failed),
    runs(`echo pwned > ${product}/.git/hooks/post-commit`, failed),
    // /tmp is the sandbox's own tmpfs: the write works there, and never reaches the host.
    runs(`echo pwned > /tmp/${tmpName} && cat /tmp/${tmpName}`, (run) => {
      expect(run.exitCode).toBe(0);
      expect(run.output).toBe("pwned\n");
    }),

    // Remounting anything writable.
    runs("mount -o remount,rw /", (run) => {
      failed(run);
      expect(run.output).toMatch(/mount/);
    }),
    runs(`mount -o remount,rw /usr && touch /usr/${tmpName}`, failed),

    // The factory's environment: every process the sandbox can see, and its own.
    runs(
      "cat /proc/1/environ; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < \"$f\"; done",
      (run) => {
        expect(run.exitCode).toBe(0);
        expect(run.output).toContain("PATH=");
        expect(secretsIn(run.output)).toEqual([]);
      },
    ),
    runs(`env; printenv ${Object.keys(secrets).join(" ")}`, (run) => {
      // printenv exits 1: none of them is set.
      expect(run.exitCode).toBe(1);
      expect(run.output).toContain("HOME=");
      for (const name of Object.keys(secrets)) expect(run.output).not.toContain(name);
    }),
    // The same, kept in files the orchestrator commits and releases.
    runs(
      "env > env-dump.txt; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < \"$f\"; done > environ-dump.txt",
      (run) => expect(run.exitCode).toBe(0),
    ),

    // The host's loopback.
    ...(existsSync("/usr/bin/curl")
      ? [
          runs(`curl -sS -m 5 http://127.0.0.1:${port}/curl`, (run) => {
            expect(run.exitCode).toBe(7);
            expect(run.output).toContain("Failed to connect");
          }),
        ]
      : []),
    runs(
      `node -e "fetch('http://127.0.0.1:${port}/node').then((r) => r.text()).then(console.log, (e) => { console.error(String(e.cause ?? e)); process.exit(7); })"`,
      (run) => {
        expect(run.exitCode).toBe(7);
        expect(run.output).toContain("ECONNREFUSED");
      },
    ),

    // The worktree's link to its git directory, and git's config and hooks.
    refused("write", ".git", "git", { content: "gitdir: /tmp/evil\n" }),
    refused("edit", ".git", "git", { old: "gitdir", new: "x" }),
    refused("write", ".git/hooks/post-commit", "git", { content: hook }),
    runs("echo 'gitdir: /tmp/evil' > .git", (run) => {
      failed(run);
      expect(run.output).toContain("Read-only file system");
    }),
    runs(`git config core.fsmonitor 'id -u > ${markers}/fsmonitor'`, (run) => {
      expect(run.exitCode).toBe(128);
      expect(run.output).toContain("not a git repository");
    }),
    // Hooks where the product's config looks for them: allowed to write, never to run.
    ...HOOKS.map((name) => allowed("write", `.githooks/${name}`, { content: hook })),
    runs("chmod +x .githooks/* && git config core.hooksPath .githooks", (run) => {
      expect(run.exitCode).toBe(128);
    }),

    // A fork loop against the process limit (256 per run).
    runs(
      "(i=0; while [ $i -lt 1000 ]; do sleep 10 </dev/null >/dev/null 2>&1 & i=$((i+1)); echo $i; done)",
      (run) => {
        failed(run);
        expect(run.output).toMatch(/fork/i);
        const started = Math.max(...(run.output.match(/^\d+$/gm) ?? ["0"]).map(Number));
        expect(started).toBeGreaterThan(100);
        expect(started).toBeLessThan(256);
      },
      20_000,
    ),

    // Then the legitimate change.
    {
      action: {
        edit: {
          path: "README.md",
          old: "# acme-billing\n",
          new: "# acme-billing\n\nBuilt by a builder that tried to get out.\n",
        },
      },
      check: (entry) =>
        expect(entry).toMatchObject({
          action: "agent.edit",
          data: { path: "README.md", replacements: 1 },
        }),
    },
    {
      action: { finish: { summary: "README.md says how it was built" } },
      check: (entry) => expect(entry.action).toBe("agent.finish"),
    },
  ];

  writeScripts(
    home,
    {
      version: 1,
      plan: [
        { id: "harden", title: "Try every way out", instructions: "Attack the factory." },
        { id: "after", title: "A task after it", instructions: "Build on harden's work." },
      ],
    },
    {
      version: 1,
      tasks: {
        harden: { actions: steps.map((step) => step.action) },
        // Its worktree is added from an integration branch that holds the planted hooks.
        after: {
          actions: [
            { read: { path: ".githooks/post-checkout" } },
            { write: { path: "docs/after.md", content: "After harden.\n" } },
            { finish: { summary: "docs/after.md" } },
          ],
        },
      },
    },
  );
  const bolt = await runRefunds(home, secrets);
  const verify = await verifyAudit(home);
  return { fx, bolt, steps, markers, factoryYaml, productConfig, tmpName, verify };
}

/** Runs the cli driver against our fake CLIs (fixtures/fake-<tool>.mjs) in a real sandbox. */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFileTools, type Sandbox } from "../../workspace/index.js";
import { type AgentTask, sandboxRunner } from "../contract.js";
import type { CliBudget, CliCommand, CliCredentials } from "./cli-adapter.js";
import { type CliAgentReport, createCliDriver } from "./cli-driver.js";

/** Mounted read-only into the bwrap sandbox; outside /tmp, which the sandbox replaces. */
export const FAKES = fileURLToPath(new URL("./fixtures", import.meta.url));

/** Its port is 1024 or more, so the sandbox's bridge serves it inside under the same URL. */
export const CREDENTIALS: CliCredentials = {
  apiKey: "sk-test-the-tools-own-key",
  baseUrl: "http://127.0.0.1:40009/v1",
};

export const TASK: AgentTask = {
  boltId: "b1",
  taskId: "t1",
  role: "builder",
  instructions: "Add hello.txt containing hello.",
  attempt: 1,
};

/** What the fake CLI saw, as it left it in the worktree. */
export interface Seen {
  env: Record<string, string>;
  argv: string[];
  cwd: string;
  uid: number;
}

export interface DriveOptions {
  scenario?: string;
  args?: string[];
  model?: string;
  budget?: CliBudget;
  timeoutMs?: number;
  credentials?: CliCredentials;
  binary?: string;
  task?: Partial<AgentTask>;
  signal?: AbortSignal;
}

export interface Driven {
  report: CliAgentReport;
  /** In the fake's argv and in the child a hanging fake leaves, to look for stray processes. */
  marker: string;
  seen: Seen | undefined;
  /** What the driver recorded for the audit log. */
  records: { action: string; data: Record<string, unknown> }[];
}

export async function drive(
  sandbox: Sandbox,
  worktree: string,
  command: CliCommand,
  options: DriveOptions = {},
): Promise<Driven> {
  const marker = `df-cli-${randomUUID()}`;
  const seenFile = join(worktree, ".fake-seen.json");
  rmSync(seenFile, { force: true });
  const driver = createCliDriver(
    {
      command,
      args: [
        `--fake=${options.scenario ?? "success"}`,
        `--fake-marker=${marker}`,
        ...(options.args ?? []),
      ],
      ...(options.model ? { model: options.model } : {}),
    },
    {
      sandbox: async () => sandbox,
      binary: options.binary ?? join(FAKES, `fake-${command}.mjs`),
      credentials: options.credentials ?? CREDENTIALS,
      ...(options.budget ? { budget: options.budget } : {}),
      timeoutMs: options.timeoutMs ?? 20_000,
    },
  );
  const records: { action: string; data: Record<string, unknown> }[] = [];
  const tools = {
    files: createFileTools({ worktree }),
    run: sandboxRunner(sandbox, worktree),
    async record(action: string, data: Record<string, unknown>) {
      records.push({ action, data });
    },
  };
  const report = await driver.doTask(
    { ...TASK, ...options.task },
    tools,
    options.signal ?? new AbortController().signal,
  );
  const seen = existsSync(seenFile)
    ? (JSON.parse(readFileSync(seenFile, "utf8")) as Seen)
    : undefined;
  return { report, marker, seen, records };
}

/** The variables any sandboxed command may see, whatever the tool. */
export const BASE_ENV = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TERM", "PWD", "SHLVL"];

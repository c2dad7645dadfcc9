/** One case: Claude Code, in the bwrap sandbox, writes a file in a fresh worktree through the anthropic twin. */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { type CliAgentReport, createCliDriver, sandboxRunner } from "../../src/agents/index.js";
import { anthropicTwin } from "../../src/twins/builtin/anthropic/index.js";
import { createTwin, type JournalEntry } from "../../src/twins/index.js";
import {
  createBwrapSandbox,
  createFileTools,
  detectSandbox,
  openPathForSandboxUser,
} from "../../src/workspace/index.js";
import { installClaudeCode } from "./install-claude.js";
import { createWorktree } from "./worktree.js";

const CASSETTE = fileURLToPath(new URL("./claude.cassette.yaml", import.meta.url));
const EXPECTED = "hello from the twin\n";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CaseResult {
  name: string;
  checks: Check[];
  ms: number;
  notes: string[];
  report?: CliAgentReport;
  journal?: JournalEntry[];
}

export async function runClaudeCase(log: (line: string) => void): Promise<CaseResult> {
  const started = Date.now();
  const notes: string[] = [];
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const detection = await detectSandbox();
  if (detection.mode !== "bwrap")
    throw new Error(
      `the e2e needs the bwrap sandbox, and this machine has none: ${detection.reason}`,
    );
  const tool = await installClaudeCode();
  log(
    `claude-code ${tool.version} ${tool.installed ? "installed into" : "cached in"} ${tool.folder}`,
  );
  const opened = await openPathForSandboxUser(tool.folder);
  if (opened.length > 0) notes.push(`let the sandbox user search ${opened.join(", ")}`);

  const wt = await createWorktree();
  const cassette = parse(readFileSync(CASSETTE, "utf8").replaceAll("{{worktree}}", wt.worktree));
  const twin = createTwin(anthropicTwin, { options: { cassette } });
  const served = await twin.serve();
  log(`anthropic twin at ${served.url}; worktree ${wt.worktree}`);
  try {
    const sandbox = createBwrapSandbox({ readOnlyPaths: [tool.folder] });
    const driver = createCliDriver(
      { command: "claude", model: "claude-sonnet-4-5" },
      {
        sandbox: async () => sandbox,
        binary: tool.binary,
        credentials: { apiKey: "sk-ant-e2e", baseUrl: served.url },
        budget: { wallTimeMs: 180_000, steps: 10 },
        // A native binary with its own runtime: many threads, each counted as a process.
        limits: { maxProcesses: 2048 },
      },
    );
    const report = await driver.doTask(
      {
        boltId: "e2e",
        taskId: "t1",
        role: "builder",
        instructions:
          "Create hello.txt at the root of the repository containing: hello from the twin",
        attempt: 1,
      },
      {
        files: createFileTools({ worktree: wt.worktree }),
        run: sandboxRunner(sandbox, wt.worktree),
      },
      new AbortController().signal,
    );
    const journal = twin.journal();

    const file = join(wt.worktree, "hello.txt");
    const written = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    check(
      "file written in the worktree",
      written === EXPECTED,
      `hello.txt: ${JSON.stringify(written)}`,
    );
    check(
      "the run finished",
      report.status === "finished",
      `${report.status}/${report.stop}: ${report.summary}`,
    );
    const write = report.actions.find((a) => a.kind === "write");
    check(
      "Write parsed as a write action",
      write?.kind === "write" && write.ok && write.path === "hello.txt",
      JSON.stringify(write),
    );
    // The cassette's stated usage, summed over its two turns: 1200 + 1300 in, 40 + 15 out.
    check(
      "tokens parsed",
      report.tokens.input === 2500 && report.tokens.output === 55 && report.usage?.steps === 1,
      `input ${report.tokens.input}, output ${report.tokens.output}, ${report.usage?.steps} tool call(s), $${report.costUsd?.toFixed(4)}`,
    );
    // Its HOME is the sandbox's private /tmp: nothing of Claude Code's own lands in the worktree.
    const status = gitStatus(wt.worktree);
    check("only hello.txt changed in the worktree", status === "?? hello.txt", status);
    const messages = journal.filter((e) => e.method === "POST" && e.path === "/v1/messages");
    const fromClaudeCode = messages.filter(
      (e) => e.headers["x-app"] === "cli" && e.headers["x-claude-code-session-id"] !== undefined,
    );
    check(
      "twin journal shows Claude Code's requests",
      fromClaudeCode.length >= 2 && messages.every((e) => e.status === 200),
      `${journal.length} requests: ${summarise(journal)}`,
    );
    return { name: "claude", checks, ms: Date.now() - started, notes, report, journal };
  } finally {
    await served.close();
    await wt.remove();
  }
}

function gitStatus(worktree: string): string {
  return execFileSync("git", ["status", "--porcelain"], { cwd: worktree, encoding: "utf8" }).trim();
}

function summarise(journal: JournalEntry[]): string {
  return journal.map((e) => `${e.method} ${e.path} ${e.status}`).join(", ");
}

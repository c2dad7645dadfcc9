import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox, SandboxRun } from "../../workspace/index.js";
import {
  createBwrapSandbox,
  createProcessSandbox,
  detectSandbox,
  SANDBOX_UID,
} from "../../workspace/index.js";
import {
  createSandboxFixture,
  type SandboxFixture,
  strayProcesses,
} from "../../workspace/sandbox/sandbox.fixture.js";
import { buildPrompt } from "./build-prompt.js";
import { BASE_ENV, CREDENTIALS, drive, FAKES, TASK } from "./cli-driver.fixture.js";
import { createCliDriver } from "./cli-driver.js";

const FACTORY_SECRET = `factory-secret-${randomUUID()}`;

describe("the cli driver's tests run in bwrap", () => {
  // Fails rather than skips, as the sandbox's own tests do: a silent fallback is the bug.
  it("probes as bwrap", async () => {
    const detection = await detectSandbox();
    expect(detection.mode, detection.reason).toBe("bwrap");
  });
});

describe("createCliDriver: Claude Code through the bwrap sandbox", () => {
  const sandbox = createBwrapSandbox({ readOnlyPaths: [FAKES] });
  let fx: SandboxFixture;
  const claude = (options: Parameters<typeof drive>[3] = {}) =>
    drive(sandbox, fx.worktree, "claude", options);

  beforeAll(async () => {
    fx = await createSandboxFixture();
    // The factory's own secrets, which must not reach the tool.
    process.env.DF_FACTORY_SECRET = FACTORY_SECRET;
    process.env.ANTHROPIC_API_KEY = FACTORY_SECRET;
  });
  afterAll(async () => {
    delete process.env.DF_FACTORY_SECRET;
    delete process.env.ANTHROPIC_API_KEY;
    await fx.cleanup();
  });

  it("parses a successful stream into actions, tokens and cost, and finishes", async () => {
    const { report, seen, records } = await claude({ budget: { usd: 5, steps: 40 } });
    expect(report).toMatchObject({
      status: "finished",
      stop: "finished",
      tool: "claude",
      exitCode: 0,
      summary: "Added hello.txt; the tests still fail on an unrelated check.",
      // Cache reads and writes count as input: 40 + 400 + 4000.
      tokens: { input: 4440, output: 20 },
      costUsd: 0.0123,
    });
    expect(report.actions).toEqual([
      { kind: "write", path: "hello.txt", ok: true, detail: expect.stringMatching(/created/) },
      {
        kind: "run",
        command: "npm test",
        exitCode: 1,
        timedOut: false,
        output: "Exit code 1\nnot ok 1 - unrelated",
      },
      { kind: "finish", summary: report.summary },
    ]);
    expect(report.otherTools).toEqual([{ name: "TodoWrite", input: '{"todos":[]}' }]);
    // What happened inside the tool reaches the audit as the tool reported it, then the outcome.
    expect(records.map((r) => r.action)).toEqual(["cli.write", "cli.run", "cli.outcome"]);
    expect(records[2]?.data).toMatchObject({ tool: "claude", stop: "finished", costUsd: 0.0123 });
    expect(readFileSync(join(fx.worktree, "hello.txt"), "utf8")).toBe("hello\n");
    expect(seen?.uid).toBe(process.getuid?.() === 0 ? SANDBOX_UID : process.getuid?.());
    expect(seen?.argv).toEqual(
      expect.arrayContaining(["--permission-mode", "bypassPermissions", "--max-budget-usd", "5"]),
    );
    expect(seen?.argv.slice(0, 5)).toEqual([
      "-p",
      buildPrompt(TASK),
      "--output-format",
      "stream-json",
      "--verbose",
    ]);
  });

  it("gives the tool its own key and base URL and nothing of the factory's environment", async () => {
    const { seen } = await claude();
    const env = seen?.env ?? {};
    expect(env).toMatchObject({
      ANTHROPIC_API_KEY: CREDENTIALS.apiKey,
      ANTHROPIC_BASE_URL: CREDENTIALS.baseUrl,
      HOME: "/tmp",
    });
    expect(JSON.stringify(env)).not.toContain(FACTORY_SECRET);
    const extra = Object.keys(env).filter((name) => !BASE_ENV.includes(name));
    expect(extra.sort()).toEqual([
      "ANTHROPIC_API_KEY",
      "ANTHROPIC_BASE_URL",
      "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
    ]);
  });

  it("passes the prompt as one literal word, whatever shell syntax it holds", async () => {
    const instructions = `Fix it'; touch /tmp/x; echo '$(id) \`id\` "$HOME" \\ ;|&\nline two`;
    const task = { instructions, attempt: 2, feedback: "test `t2` failed: expected 'a'" };
    const { seen } = await claude({ task });
    const prompt = seen?.argv[1] ?? "";
    expect(prompt).toBe(buildPrompt({ ...TASK, ...task }));
    expect(prompt).toContain(instructions);
    expect(prompt).toContain("Attempt 2");
    expect(prompt).toContain("test `t2` failed: expected 'a'");
  });

  it("gives up on an error reported as success, though the exit code is 0", async () => {
    const { report } = await claude({ scenario: "error-as-success" });
    expect(report).toMatchObject({ status: "gave_up", stop: "error-event", exitCode: 0 });
    expect(report.summary).toMatch(/error reported as success: API Error: 401/);
    expect(report.actions.some((action) => action.kind === "finish")).toBe(false);
  });

  it("gives up on a non-zero exit after a success event", async () => {
    const { report } = await claude({ scenario: "exit-after-success" });
    expect(report).toMatchObject({ status: "gave_up", stop: "exit-after-success", exitCode: 3 });
    expect(report.summary).toMatch(/non-zero exit after success/);
  });

  it("gives up when the stream ends with no final event, keeping what it did", async () => {
    const { report } = await claude({ scenario: "no-final" });
    expect(report).toMatchObject({ status: "gave_up", stop: "no-final-event", exitCode: 0 });
    expect(report.summary).toMatch(/exited with code 0 with no final event/);
    expect(report.actions.map((action) => action.kind)).toEqual(["write", "run"]);
  });

  it("gives up when the final event reports a failure (max turns)", async () => {
    const { report } = await claude({ scenario: "max-turns" });
    expect(report).toMatchObject({ status: "gave_up", stop: "reported-failure" });
    expect(report.summary).toMatch(/error_max_turns/);
  });

  it("kills a hanging tool's whole process group at the timeout", async () => {
    const { report, marker } = await claude({ scenario: "hang", timeoutMs: 1_500 });
    expect(report).toMatchObject({ status: "gave_up", stop: "timeout", exitCode: null });
    expect(report.summary).toMatch(/killed at the timeout/);
    expect(report.ms).toBeLessThan(6_000);
    expect(report.actions.map((action) => action.kind)).toEqual(["write", "run"]);
    expect(await strayProcesses(marker)).toEqual([]);
  });

  it("kills the process group once the stream's tokens pass the budget", async () => {
    const { report, marker } = await claude({
      scenario: "tokens-over-budget",
      budget: { tokens: 20_000 },
    });
    expect(report).toMatchObject({ status: "gave_up", stop: "over-budget" });
    expect(report.summary).toMatch(/over budget \(\d+ tokens passed 20000\)/);
    // Each message is 6 100 tokens: killed at the fourth, well before the stream's end.
    expect(report.tokens.input + report.tokens.output).toBeLessThan(40_000);
    expect(report.ms).toBeLessThan(4_000);
    expect(await strayProcesses(marker)).toEqual([]);
  });

  it("kills the process group when the caller aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1_000);
    const { report, marker } = await claude({ scenario: "hang", signal: controller.signal });
    expect(report).toMatchObject({ status: "gave_up", stop: "aborted" });
    expect(report.ms).toBeLessThan(5_000);
    expect(await strayProcesses(marker)).toEqual([]);
  });

  it("says where to install the tool when the sandbox cannot find it", async () => {
    const { report } = await claude({ binary: "/nonexistent/claude" });
    expect(report).toMatchObject({ status: "gave_up", stop: "not-found", exitCode: 127 });
    expect(report.summary).toMatch(/\/nonexistent\/claude was not found inside the sandbox/);
  });
});

describe("createCliDriver through the process sandbox", () => {
  let fx: SandboxFixture;
  beforeAll(async () => {
    fx = await createSandboxFixture();
  });
  afterAll(() => fx.cleanup());

  it("runs the tool with a HOME of its own, outside the worktree, removed afterwards", async () => {
    const { report, seen } = await drive(createProcessSandbox(), fx.worktree, "claude");
    expect(report.status).toBe("finished");
    const home = seen?.env.HOME ?? "";
    expect(home).toMatch(/df-cli-home-/);
    expect(home.startsWith(fx.worktree)).toBe(false);
    expect(existsSync(home)).toBe(false);
    expect(readdirSync(fx.worktree).sort()).toEqual([
      ".fake-seen.json",
      ".git",
      "README.md",
      "hello.txt",
      "src",
    ]);
  });
});

describe("createCliDriver with a sandbox that does not stream", () => {
  let fx: SandboxFixture;
  beforeAll(async () => {
    fx = await createSandboxFixture();
  });
  afterAll(() => fx.cleanup());

  it("reads the captured output instead, and still holds the run to its step budget", async () => {
    const call = (id: string, name: string) => ({
      type: "assistant",
      message: { id, content: [{ type: "tool_use", id, name, input: { command: "ls" } }] },
    });
    const stdout = [
      call("a", "Bash"),
      call("b", "Bash"),
      call("c", "WebFetch"),
      { type: "result", subtype: "success", is_error: false, result: "done" },
    ]
      .map((event) => `${JSON.stringify(event)}\n`)
      .join("");
    const runs: SandboxRun[] = [];
    const sandbox: Sandbox = {
      mode: "bwrap",
      async run(run) {
        runs.push(run);
        const result = { exitCode: 0, signal: null, stderr: "", timedOut: false };
        return { ...result, stdout, outputTruncated: false, ms: 1 };
      },
    };
    const driver = createCliDriver(
      { command: "claude", args: ["--fake=x"] },
      { sandbox: async () => sandbox, binary: "/opt/it's/claude", budget: { steps: 2 } },
    );
    const tools = { files: { worktree: fx.worktree }, run: async () => ({}) };
    const report = await driver.doTask(
      TASK,
      tools as unknown as Parameters<typeof driver.doTask>[1],
      new AbortController().signal,
    );
    expect(report).toMatchObject({ status: "gave_up", stop: "over-budget" });
    expect(report.summary).toMatch(/3 tool calls passed 2/);
    expect(report.actions).toHaveLength(2);
    expect(report.otherTools.map((tool) => tool.name)).toEqual(["WebFetch"]);
    expect(runs[0]?.command).toMatch(/^exec '\/opt\/it'\\''s\/claude' '-p' 'You are/);
    expect(runs[0]?.worktree).toBe(fx.worktree);
  });

  it("does not start when the caller has already aborted", async () => {
    const sandbox = { mode: "bwrap", run: () => Promise.reject(new Error("ran")) } as const;
    const driver = createCliDriver({ command: "codex" }, { sandbox: async () => sandbox });
    const controller = new AbortController();
    controller.abort();
    const tools = { files: { worktree: fx.worktree } } as unknown as Parameters<
      typeof driver.doTask
    >[1];
    const report = await driver.doTask(TASK, tools, controller.signal);
    expect(report).toMatchObject({ status: "gave_up", stop: "aborted", actions: [] });
  });
});

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBwrapSandbox } from "../../workspace/index.js";
import {
  createSandboxFixture,
  type SandboxFixture,
  strayProcesses,
} from "../../workspace/sandbox/sandbox.fixture.js";
import type { CliCommand } from "./cli-adapter.js";
import { BASE_ENV, CREDENTIALS, type DriveOptions, drive, FAKES } from "./cli-driver.fixture.js";

/** Codex, opencode, Gemini CLI and Aider, each against its fake, in the bwrap sandbox. */
const sandbox = createBwrapSandbox({ readOnlyPaths: [FAKES] });
let fx: SandboxFixture;
const run = (command: CliCommand, options: DriveOptions = {}) =>
  drive(sandbox, fx.worktree, command, options);
const toolEnv = (env: Record<string, string> | undefined) =>
  Object.keys(env ?? {})
    .filter((name) => !BASE_ENV.includes(name))
    .sort();

beforeAll(async () => {
  fx = await createSandboxFixture();
});
afterAll(() => fx.cleanup());

describe("createCliDriver: Codex", () => {
  it("parses items into actions and the turn's usage, and finishes", async () => {
    const { report, seen } = await run("codex", { model: "gpt-fake" });
    expect(report).toMatchObject({
      status: "finished",
      summary: "Added notes.md.",
      tokens: { input: 24763, output: 122 },
      costUsd: undefined,
    });
    expect(report.actions).toEqual([
      {
        kind: "run",
        command: "bash -lc ls",
        exitCode: 0,
        timedOut: false,
        output: "README.md\nsrc\n",
      },
      { kind: "write", path: "notes.md", ok: true, detail: "add" },
      { kind: "edit", path: "README.md", ok: true, detail: "update" },
      { kind: "finish", summary: "Added notes.md." },
    ]);
    expect(existsSync(join(fx.worktree, "notes.md"))).toBe(true);
    expect(seen?.argv.slice(0, 2)).toEqual(["exec", "--json"]);
    expect(seen?.argv).toEqual(
      expect.arrayContaining(["--skip-git-repo-check", "--model", "gpt-fake"]),
    );
    expect(toolEnv(seen?.env)).toEqual(["CODEX_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"]);
    expect(seen?.env).toMatchObject({
      OPENAI_API_KEY: CREDENTIALS.apiKey,
      OPENAI_BASE_URL: CREDENTIALS.baseUrl,
    });
  });

  it("gives up on turn.failed and an error event, whatever the exit code", async () => {
    const { report } = await run("codex", { scenario: "turn-failed" });
    expect(report).toMatchObject({ status: "gave_up", stop: "error-event" });
    expect(report.summary).toMatch(/stream disconnected before completion \(and 1 more\)/);
  });

  it("gives up on an error event even when the turn then completes", async () => {
    const { report } = await run("codex", { scenario: "error-then-complete" });
    expect(report).toMatchObject({ status: "gave_up", stop: "error-event", exitCode: 0 });
    expect(report.summary).toMatch(/500 Internal Server Error/);
  });

  it("gives up without turn.completed", async () => {
    const { report } = await run("codex", { scenario: "no-final" });
    expect(report).toMatchObject({ status: "gave_up", stop: "no-final-event", exitCode: 0 });
  });

  it("keeps a command cut off by the timeout, and leaves no process", async () => {
    const { report, marker } = await run("codex", { scenario: "hang", timeoutMs: 1_500 });
    expect(report).toMatchObject({ status: "gave_up", stop: "timeout" });
    expect(report.actions).toEqual([
      { kind: "run", command: "bash -lc ls", exitCode: null, timedOut: false, output: "" },
    ]);
    expect(await strayProcesses(marker)).toEqual([]);
  });
});

describe("createCliDriver: opencode", () => {
  const model = "anthropic/claude-fake";

  it("sums steps' cost and tokens, and takes the last stop as the outcome", async () => {
    const { report, seen } = await run("opencode", { model });
    expect(report).toMatchObject({
      status: "finished",
      summary: "Added greet.ts.",
      // Three steps of 1 200 + 800 + 100 in and 300 + 50 out.
      tokens: { input: 6300, output: 1050 },
    });
    expect(report.costUsd).toBeCloseTo(0.004, 6);
    expect(report.actions.slice(0, 2)).toEqual([
      { kind: "write", path: "greet.ts", ok: true, detail: "" },
      { kind: "run", command: "npm test", exitCode: 0, timedOut: false, output: "1 passing" },
    ]);
    expect(seen?.argv).toEqual(
      expect.arrayContaining(["run", "--format", "json", "--model", model]),
    );
    expect(toolEnv(seen?.env)).toEqual(["ANTHROPIC_API_KEY", "OPENCODE_CONFIG_CONTENT"]);
    expect(JSON.parse(seen?.env.OPENCODE_CONFIG_CONTENT ?? "{}")).toMatchObject({
      provider: { anthropic: { options: { baseURL: CREDENTIALS.baseUrl } } },
    });
  });

  it("kills the process group once the reported cost passes the budget", async () => {
    const { report, marker } = await run("opencode", {
      model,
      scenario: "cost-over-budget",
      budget: { usd: 1 },
    });
    expect(report).toMatchObject({ status: "gave_up", stop: "over-budget" });
    expect(report.summary).toMatch(/over budget \(cost \$1\.2000 passed \$1\)/);
    expect(report.ms).toBeLessThan(4_000);
    expect(await strayProcesses(marker)).toEqual([]);
  });

  it("gives up on an error event, and when the last step has no finish", async () => {
    const failed = await run("opencode", { model, scenario: "error" });
    expect(failed.report).toMatchObject({ status: "gave_up", stop: "error-event" });
    expect(failed.report.summary).toMatch(/Rate limit exceeded/);
    const cut = await run("opencode", { model, scenario: "no-final" });
    expect(cut.report).toMatchObject({ status: "gave_up", stop: "no-final-event" });
  });
});

describe("createCliDriver: Gemini CLI", () => {
  it("pairs tool results with calls, ignores warnings, and reads the result's stats", async () => {
    const { report, seen } = await run("gemini");
    expect(report).toMatchObject({
      status: "finished",
      summary: "Wrote plan.md.",
      tokens: { input: 1200, output: 300 },
    });
    expect(report.actions.slice(0, 2)).toEqual([
      {
        kind: "run",
        command: "make test",
        exitCode: 2,
        timedOut: false,
        output: "Command: make test\nExit Code: 2\nmake: *** No rule",
      },
      { kind: "write", path: "plan.md", ok: true, detail: "Wrote plan.md" },
    ]);
    expect(seen?.argv).toEqual(expect.arrayContaining(["--approval-mode", "yolo"]));
    expect(toolEnv(seen?.env)).toEqual(["GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"]);
  });

  it("gives up when the result reports an error", async () => {
    const { report } = await run("gemini", { scenario: "error-result" });
    expect(report).toMatchObject({ status: "gave_up", stop: "reported-failure", exitCode: 53 });
    expect(report.summary).toMatch(/Reached max session turns/);
  });
});

describe("createCliDriver: Aider", () => {
  it("reads edits, commands, tokens and the session cost from its text", async () => {
    const { report, seen } = await run("aider", { model: "sonnet" });
    expect(report).toMatchObject({
      status: "finished",
      tokens: { input: 3600, output: 392 },
      costUsd: 0.02,
    });
    expect(report.actions.slice(0, 2)).toEqual([
      { kind: "edit", path: "hello.py", ok: true, detail: "applied" },
      { kind: "run", command: "python hello.py", exitCode: null, timedOut: false, output: "" },
    ]);
    // Its history goes to its own HOME, never into the worktree.
    expect(existsSync(join(fx.worktree, ".aider.chat.history.md"))).toBe(false);
    expect(readFileSync(join(fx.worktree, "hello.py"), "utf8")).toContain("hello");
    expect(seen?.argv).toEqual(expect.arrayContaining(["--no-git", "--model", "sonnet"]));
    expect(toolEnv(seen?.env)).toEqual([
      "ANTHROPIC_API_BASE",
      "ANTHROPIC_API_KEY",
      "ANTHROPIC_BASE_URL",
    ]);
  });

  it("gives up on an error line though it exits 0, and on a non-zero exit", async () => {
    const auth = await run("aider", { model: "sonnet", scenario: "auth-error" });
    expect(auth.report).toMatchObject({ status: "gave_up", stop: "error-event", exitCode: 0 });
    expect(auth.report.summary).toMatch(/litellm\.AuthenticationError/);
    const exit = await run("aider", { model: "sonnet", scenario: "exit-1" });
    expect(exit.report).toMatchObject({ status: "gave_up", stop: "exit-code", exitCode: 1 });
  });
});

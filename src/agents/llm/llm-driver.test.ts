import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFileTools, type SandboxResult } from "../../workspace/index.js";
import type { AgentTask, AgentTools } from "../contract.js";
import { MODEL_OUTPUT_CHARS } from "./agent-tools.js";
import { createLlmDriver, type LlmDriverOptions, newSpend } from "./llm-driver.js";
import {
  type LlmProvider,
  type LlmRequest,
  type LlmResponse,
  ProviderError,
  type ToolCall,
} from "./provider.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function worktree(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), "df-llm-"));
  folders.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

interface Harness {
  tools: AgentTools;
  commands: string[];
  records: { action: string; data: Record<string, unknown> }[];
}

function harness(root: string, output = (_command: string) => "ok\n"): Harness {
  const commands: string[] = [];
  const records: Harness["records"] = [];
  return {
    commands,
    records,
    tools: {
      files: createFileTools({ worktree: root }),
      async run(command): Promise<SandboxResult> {
        commands.push(command);
        return {
          exitCode: 0,
          signal: null,
          stdout: output(command),
          stderr: "",
          timedOut: false,
          outputTruncated: false,
          ms: 1,
        };
      },
      async record(action, data) {
        records.push({ action, data });
      },
    },
  };
}

let callSeq = 0;
const call = (name: string, input: Record<string, unknown>): ToolCall => ({
  id: `call_${++callSeq}`,
  name,
  input,
});
const answer = (toolCalls: ToolCall[], text = ""): LlmResponse => ({
  text,
  toolCalls,
  stopReason: toolCalls.length ? "tool_use" : "end",
  usage: { inputTokens: 100, outputTokens: 20 },
  model: "scripted-1",
});

/** A provider that answers from a list, one per call, and keeps every request it saw. */
function scripted(turns: (LlmResponse | Error)[]): LlmProvider & { requests: LlmRequest[] } {
  const requests: LlmRequest[] = [];
  return {
    name: "scripted",
    requests,
    async complete(request) {
      requests.push(structuredClone(request));
      const next = turns.shift();
      if (!next) throw new Error("the script ran out of turns");
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

const task: AgentTask = {
  boltId: "b1",
  taskId: "refunds",
  role: "builder",
  instructions: "Add a refund function with a test.",
  attempt: 2,
  feedback: "test/refund.test.ts failed: expected 500",
  intent: "# Refunds\nCustomers can get their money back.",
};

function driver(provider: LlmProvider, extra: Partial<LlmDriverOptions> = {}) {
  const slept: number[] = [];
  let clock = 1_000_000;
  const made = createLlmDriver({
    provider,
    model: "scripted-1",
    price: { inputPerMTok: 3, outputPerMTok: 15 },
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    now: () => clock,
    ...extra,
  });
  return { made, slept, advance: (ms: number) => (clock += ms) };
}

describe("the llm driver's tool loop", () => {
  it("solves a task through the tools, from a fresh context, and records each model call", async () => {
    const root = worktree({
      "AGENTS.md": "Run the tests with npm test.",
      "src/billing.ts": "export const x = 1;\n",
      "node_modules/left-pad/index.js": "",
    });
    const h = harness(root);
    const provider = scripted([
      answer([call("read", { path: "src/billing.ts" })]),
      answer([call("write", { path: "src/refund.ts", content: "export const refund = 1;\n" })]),
      answer([call("run", { command: "npm test" })]),
      answer([call("finish", { summary: "refunds added" })]),
    ]);
    const report = await driver(provider).made.doTask(task, h.tools, new AbortController().signal);

    expect(report).toMatchObject({ status: "finished", summary: "refunds added" });
    expect(readFileSync(join(root, "src/refund.ts"), "utf8")).toBe("export const refund = 1;\n");
    expect(h.commands).toEqual(["npm test"]);
    expect(report.actions.map((a) => a.kind)).toEqual(["read", "write", "run", "finish"]);
    expect(report.usage).toMatchObject({ steps: 4, inputTokens: 400, outputTokens: 80 });
    expect(report.usage?.costUsd).toBeCloseTo((400 * 3 + 80 * 15) / 1e6, 10);

    const first = provider.requests[0] as LlmRequest;
    const prompt = (first.messages[0] as { content: string }).content;
    expect(prompt).toContain("Customers can get their money back.");
    expect(prompt).toContain("attempt 2");
    expect(prompt).toContain("expected 500");
    expect(prompt).toContain("src/billing.ts");
    expect(prompt).toContain("Run the tests with npm test.");
    expect(prompt).not.toContain("node_modules");
    expect(first.tools.map((t) => t.name)).toEqual([
      "read",
      "list",
      "search",
      "write",
      "edit",
      "run",
      "finish",
    ]);
    // The second request carries the first tool's result back, matched by call id.
    const second = provider.requests[1] as LlmRequest;
    expect(second.messages.at(-1)).toMatchObject({
      role: "tool",
      results: [{ name: "read", content: "export const x = 1;\n", isError: false }],
    });
    const calls = h.records.filter((r) => r.action === "model_call");
    expect(calls).toHaveLength(4);
    expect(calls[0]?.data).toMatchObject({ model: "scripted-1", inputTokens: 100, step: 1 });
    expect(calls[0]?.data.promptDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("retries provider failures with backoff, honouring retry-after, and gives up with reason provider", async () => {
    const provider = scripted([
      new ProviderError("rate_limit", "slow down", { status: 429, retryAfterMs: 7_000 }),
      new ProviderError("overloaded", "overloaded", { status: 529 }),
      new ProviderError("timeout", "the stream stopped"),
      answer([call("finish", { summary: "ok" })]),
    ]);
    const h = harness(worktree());
    const { made, slept } = driver(provider, { backoff: { baseMs: 100, maxMs: 1_000 } });
    const report = await made.doTask(task, h.tools, new AbortController().signal);
    expect(report.status).toBe("finished");
    expect(slept).toEqual([7_000, 200, 400]);
    expect(h.records.filter((r) => r.action === "model_error").map((r) => r.data.kind)).toEqual([
      "rate_limit",
      "overloaded",
      "timeout",
    ]);

    const down = scripted(Array.from({ length: 3 }, () => new ProviderError("server", "boom")));
    const failed = await driver(down, { attempts: 3 }).made.doTask(
      task,
      harness(worktree()).tools,
      new AbortController().signal,
    );
    expect(failed).toMatchObject({ status: "gave_up", reason: "provider" });
    expect(failed.summary).toContain("3 time(s)");

    const refused = scripted([new ProviderError("auth", "bad key", { status: 401 })]);
    const once = await driver(refused).made.doTask(
      task,
      harness(worktree()).tools,
      new AbortController().signal,
    );
    expect(once).toMatchObject({ status: "gave_up", reason: "provider" });
    expect(refused.requests).toHaveLength(1);
  });

  it("steers a model that repeats the same call, then stops it with reason loop", async () => {
    const same = () => answer([call("list", { recursive: true, path: "." })]);
    const provider = scripted(Array.from({ length: 10 }, same));
    const report = await driver(provider).made.doTask(
      task,
      harness(worktree()).tools,
      new AbortController().signal,
    );
    expect(report).toMatchObject({ status: "gave_up", reason: "loop" });
    // Two calls run; the third and fourth were answered with a steer; the fifth stopped it.
    expect(report.actions).toHaveLength(2);
    const steered = provider.requests[3]?.messages.at(-1);
    expect(JSON.stringify(steered)).toContain("3 times in a row");
    expect(provider.requests).toHaveLength(5);
  });

  it("stops at the task's and the bolt's budgets with reason budget", async () => {
    const busy = () => answer([call("list", { path: `./${callSeq}` })]);
    const steps = await driver(scripted(Array.from({ length: 10 }, busy)), {
      budgets: { task: { steps: 3 } },
    }).made.doTask(task, harness(worktree()).tools, new AbortController().signal);
    expect(steps).toMatchObject({ status: "gave_up", reason: "budget" });
    expect(steps.summary).toContain("3 model steps");
    expect(steps.usage?.steps).toBe(3);

    // $0.0006 per step at these prices: the bolt's $0.001 lasts two steps, across tasks.
    const boltSpend = newSpend();
    const shared = { budgets: { bolt: { usd: 0.001 } }, boltSpend };
    const first = await driver(
      scripted([busy(), answer([call("finish", { summary: "a" })])]),
      shared,
    ).made.doTask(task, harness(worktree()).tools, new AbortController().signal);
    expect(first.status).toBe("finished");
    const second = await driver(scripted([busy(), busy()]), shared).made.doTask(
      { ...task, taskId: "other" },
      harness(worktree()).tools,
      new AbortController().signal,
    );
    expect(second).toMatchObject({ status: "gave_up", reason: "budget" });
    expect(second.summary).toContain("bolt budget of $0.001");
    expect(boltSpend.steps).toBe(2);

    // Wall time: the clock moves while the model thinks.
    let clock = 0;
    const thinking: LlmProvider = {
      name: "slow",
      complete: async () => {
        clock += 25_000;
        return busy();
      },
    };
    const timed = await createLlmDriver({
      provider: thinking,
      model: "m",
      budgets: { task: { wallTimeMs: 60_000 } },
      now: () => clock,
    }).doTask(task, harness(worktree()).tools, new AbortController().signal);
    expect(timed).toMatchObject({ status: "gave_up", reason: "budget" });
    expect(timed.summary).toContain("wall time");
    expect(timed.usage).toMatchObject({ steps: 3, unpriced: ["m"] });
  });

  it("nudges a model that answers without tools, then stops with reason no_finish", async () => {
    const provider = scripted([
      answer([], "I think it is done."),
      answer([], "Done."),
      answer([], "Really."),
    ]);
    const report = await driver(provider).made.doTask(
      task,
      harness(worktree()).tools,
      new AbortController().signal,
    );
    expect(report).toMatchObject({ status: "gave_up", reason: "no_finish" });
    expect(provider.requests[1]?.messages.at(-1)).toMatchObject({ role: "user" });
  });

  it("shows the model the head and tail of a long output while the journal keeps it whole", async () => {
    const long = `${"start\n"}${"x".repeat(50_000)}\nFAILED: the last line`;
    const h = harness(worktree(), () => long);
    const provider = scripted([
      answer([call("run", { command: "npm test" })]),
      answer([call("write", { path: "../escape.txt", content: "no" })]),
      answer([call("finish", { summary: "done" })]),
    ]);
    const report = await driver(provider).made.doTask(task, h.tools, new AbortController().signal);
    const shown = provider.requests[1]?.messages.at(-1) as { results: { content: string }[] };
    const content = shown.results[0]?.content ?? "";
    expect(content.length).toBeLessThan(MODEL_OUTPUT_CHARS + 200);
    expect(content).toContain("start");
    expect(content).toContain("FAILED: the last line");
    const run = report.actions[0];
    expect(run?.kind === "run" && run.output).toBe(long);
    // A path out of the worktree is refused, and the model is told why.
    const refusal = provider.requests[2]?.messages.at(-1) as {
      results: { content: string; isError: boolean }[];
    };
    expect(refusal.results[0]?.isError).toBe(true);
    expect(report.actions[1]).toMatchObject({ kind: "write", ok: false });
  });

  it("stops at once when the task is cancelled", async () => {
    const controller = new AbortController();
    const provider: LlmProvider = {
      name: "hanging",
      complete: (_request, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(new Error("aborted"))),
        ),
    };
    const pending = driver(provider).made.doTask(
      task,
      harness(worktree()).tools,
      controller.signal,
    );
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toMatchObject({ status: "gave_up", reason: "aborted" });
  });
});

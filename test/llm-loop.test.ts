// The llm driver end to end, offline: our tool loop, through each provider adapter and its
// vendor's official SDK, against the vendor's twin over HTTP on 127.0.0.1, on a real worktree
// with the confined file tools and a real sandbox.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  type AgentTask,
  type AgentTools,
  createLlmDriver,
  createProvider,
  type LlmDriverOptions,
  sandboxRunner,
} from "../src/agents/index.js";
import {
  anthropicTwin,
  type CreateTwinOptions,
  createTwin,
  openaiTwin,
  type ServedTwin,
  type Twin,
} from "../src/twins/index.js";
import {
  createFileTools,
  createProcessSandbox,
  grantWorktreeAccess,
} from "../src/workspace/index.js";

const TASK: AgentTask = {
  boltId: "b-loop",
  taskId: "hello",
  role: "builder",
  instructions: "Write hello.txt saying hi, and check it.",
  attempt: 1,
};

/** The model's side of the task: write, check, finish, each step matched on what came before. */
const SOLVES = {
  turns: [
    {
      id: "write",
      match: { last_user_contains: "(hello, attempt 1)", step: 0 },
      reply: {
        text: "Writing it.",
        tool_calls: [{ name: "write", input: { path: "hello.txt", content: "hi\n" } }],
      },
    },
    {
      id: "check",
      match: { after_tool: "write", step: 1 },
      reply: { tool_calls: [{ name: "run", input: { command: "cat hello.txt" } }] },
    },
    {
      id: "finish",
      match: { after_tool: "run", last_tool_result_contains: "hi" },
      reply: { tool_calls: [{ name: "finish", input: { summary: "hello.txt says hi" } }] },
    },
  ],
};

/** A model stuck on one call. */
const STUCK = {
  turns: [
    { id: "again", match: {}, reply: { tool_calls: [{ name: "list", input: { path: "." } }] } },
  ],
};

const vendors = [
  { name: "anthropic", twin: anthropicTwin, model: "claude-sonnet-5-5", overloaded: 529 },
  { name: "openai", twin: openaiTwin, model: "gpt-4.1", overloaded: 503 },
] as const;

const served: ServedTwin[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const s of served.splice(0)) await s.close();
});
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function tools(): {
  tools: AgentTools;
  root: string;
  records: { action: string; data: Record<string, unknown> }[];
} {
  const root = mkdtempSync(join(tmpdir(), "df-llm-loop-"));
  folders.push(root);
  // As the factory does: the sandbox user reaches the worktree and owns what is written in it.
  chmodSync(root, 0o755);
  const run = sandboxRunner(createProcessSandbox(), root);
  const records: { action: string; data: Record<string, unknown> }[] = [];
  return {
    root,
    records,
    tools: {
      files: createFileTools({ worktree: root }),
      async run(command, options) {
        await grantWorktreeAccess(root);
        return run(command, options);
      },
      async record(action, data) {
        records.push({ action, data });
      },
    },
  };
}

describe.each(vendors)("the llm driver against the $name twin", (vendor) => {
  async function setUp(
    cassette: object,
    options: Omit<CreateTwinOptions, "options"> & { twin?: Record<string, unknown> } = {},
    driver: Partial<LlmDriverOptions> = {},
  ) {
    const twin = createTwin(vendor.twin, {
      seed: "loop",
      ...options,
      options: { cassette, ...options.twin },
    }) as Twin<unknown>;
    const server = await twin.serve();
    served.push(server);
    const provider = createProvider(
      {
        provider: vendor.name,
        base_url: vendor.name === "openai" ? `${server.url}/v1` : server.url,
      },
      {},
    );
    const made = createLlmDriver({
      provider,
      model: vendor.model,
      backoff: { baseMs: 5, maxMs: 20 },
      ...driver,
    });
    return { twin, made };
  }

  it("solves a task by tool calls, with every model call recorded", async () => {
    const { twin, made } = await setUp(SOLVES);
    const work = tools();
    const report = await made.doTask(TASK, work.tools, new AbortController().signal);
    expect(report).toMatchObject({ status: "finished", summary: "hello.txt says hi" });
    expect(readFileSync(join(work.root, "hello.txt"), "utf8")).toBe("hi\n");
    expect(report.actions.map((a) => a.kind)).toEqual(["write", "run", "finish"]);
    expect(report.usage?.steps).toBe(3);
    expect(report.usage?.inputTokens).toBeGreaterThan(100);
    expect(work.records.filter((r) => r.action === "model_call")).toHaveLength(3);
    // The twin saw three completions, the conversation growing by one exchange each time.
    expect(twin.journal().filter((e) => e.method === "POST")).toHaveLength(3);
  });

  it("completes the same task with a fifth of the provider's calls faulted", async () => {
    const { twin, made } = await setUp(SOLVES, {
      faults: { rules: [{ route: "POST *", error_rate: 0.2, error_status: vendor.overloaded }] },
    });
    const reports = [];
    for (let i = 0; i < 5; i++) {
      const work = tools();
      reports.push(await made.doTask(TASK, work.tools, new AbortController().signal));
      expect(readFileSync(join(work.root, "hello.txt"), "utf8")).toBe("hi\n");
    }
    expect(reports.map((r) => r.status)).toEqual(Array(5).fill("finished"));
    const faulted = twin.journal().filter((e) => e.fault === "error");
    expect(faulted.length).toBeGreaterThan(0);
    expect(faulted.every((e) => e.status === vendor.overloaded)).toBe(true);
  });

  it("retries a stream cut mid-way", async () => {
    const { twin, made } = await setUp(SOLVES, { twin: { stream_cut_rate: 0.5 } });
    const errors = [];
    for (let i = 0; i < 3; i++) {
      const work = tools();
      const report = await made.doTask(TASK, work.tools, new AbortController().signal);
      expect(report.status).toBe("finished");
      errors.push(...work.records.filter((r) => r.action === "model_error"));
    }
    const cuts = (twin.state() as { faults: { kind: string }[] }).faults.filter(
      (f) => f.kind === "stream_cut",
    );
    expect(cuts.length).toBeGreaterThan(0);
    // Every cut the twin made, the loop saw as a broken stream and retried.
    expect(errors.map((e) => e.data.kind)).toEqual(cuts.map(() => "timeout"));
  });

  it("detects a model repeating itself: steered first, then stopped with reason loop", async () => {
    const { made } = await setUp(STUCK);
    const report = await made.doTask(TASK, tools().tools, new AbortController().signal);
    expect(report).toMatchObject({ status: "gave_up", reason: "loop" });
    expect(report.usage?.steps).toBe(5);
  });

  it("stops at the task's token budget with reason budget", async () => {
    const { made } = await setUp(STUCK, {}, { budgets: { task: { tokens: 1_000 } } });
    const report = await made.doTask(TASK, tools().tools, new AbortController().signal);
    expect(report).toMatchObject({ status: "gave_up", reason: "budget" });
    expect(report.summary).toContain("1000 tokens");
  });
});

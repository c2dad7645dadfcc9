import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFileTools,
  createSandbox,
  grantWorktreeAccess,
  type Refusal,
} from "../../workspace/index.js";
import { type AgentTask, type AgentTools, sandboxRunner } from "../contract.js";
import { createScriptDriver, createScriptEvaluator, parseAgentScript } from "./script-driver.js";

const SCRIPT = `version: 1
tasks:
  add-refunds:
    attempts:
      - actions:
          - write: { path: src/refunds.js, content: "export const refund = () => { throw new Error('todo') }\\n" }
          - run: { command: "node -e \\"import('./src/refunds.js').then(m => m.refund())\\"" }
          - write: { path: ../escape.txt, content: "out" }
          - finish: { summary: first try }
      - actions:
          - edit: { path: src/refunds.js, old: "throw new Error('todo')", new: "return 'refunded'" }
          - run: { command: "node -e \\"import('./src/refunds.js').then(m => console.log(m.refund()))\\"" }
          - finish: { summary: refunds work }
  unfinished:
    actions:
      - read: { path: README.md }
`;

let dir: string;
let worktree: string;
let tools: AgentTools;
const refusals: Refusal[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "df-script-"));
  // The sandbox user must be able to walk down to the worktree.
  chmodSync(dir, 0o755);
  const repo = join(dir, "product");
  mkdirSync(repo);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo });
  git("init", "-q", "-b", "main");
  writeFileSync(join(repo, "README.md"), "# acme\n");
  writeFileSync(join(repo, "package.json"), '{ "type": "module" }\n');
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "init");
  worktree = join(dir, "wt");
  git("worktree", "add", "-q", "-b", "factory/b1/add-refunds", worktree);
  if (process.getuid?.() === 0) await grantWorktreeAccess(worktree);
  tools = {
    files: createFileTools({ worktree, onRefusal: (r) => refusals.push(r) }),
    run: sandboxRunner(await createSandbox(), worktree),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const task = (taskId: string, attempt: number): AgentTask => ({
  boltId: "b1",
  taskId,
  role: "builder",
  instructions: "add refunds",
  attempt,
});

describe("the script driver", () => {
  const parsed = parseAgentScript(SCRIPT, "agents/builder.yaml");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const driver = createScriptDriver(parsed.value);

  it("acts through the confined tools and sandbox, recording every action, refusals included", async () => {
    const report = await driver.doTask(task("add-refunds", 1), tools, new AbortController().signal);
    expect(report.status).toBe("finished");
    expect(report.actions.map((a) => a.kind)).toEqual(["write", "run", "write", "finish"]);
    const [, run, outside] = report.actions;
    expect(run).toMatchObject({ kind: "run", exitCode: 1, timedOut: false });
    expect(run?.kind === "run" && run.output).toContain("todo");
    expect(outside).toMatchObject({ kind: "write", ok: false });
    expect(refusals.map((r) => [r.tool, r.reason])).toEqual([["write", "outside"]]);
    expect(existsSync(join(dir, "escape.txt"))).toBe(false);
    expect(readFileSync(join(worktree, "src", "refunds.js"), "utf8")).toContain("todo");
  });

  it("takes the second attempt's actions on a retry", async () => {
    const report = await driver.doTask(task("add-refunds", 2), tools, new AbortController().signal);
    expect(report).toMatchObject({ status: "finished", summary: "refunds work" });
    const run = report.actions[1];
    expect(run).toMatchObject({ kind: "run", exitCode: 0 });
    expect(run?.kind === "run" && run.output.trim()).toBe("refunded");
    // Attempts past the list repeat the last one.
    expect(
      (await driver.doTask(task("add-refunds", 5), tools, new AbortController().signal)).summary,
    ).toBe("refunds work");
  });

  it("gives up, saying why, on a task the script does not finish or does not know", async () => {
    expect(
      await driver.doTask(task("unfinished", 1), tools, new AbortController().signal),
    ).toMatchObject({
      status: "gave_up",
      summary: "the script ended without finish",
      actions: [{ kind: "read", ok: true }],
    });
    expect((await driver.doTask(task("nope", 1), tools, new AbortController().signal)).status).toBe(
      "gave_up",
    );
  });
});

describe("parseAgentScript", () => {
  it("names a bad action with its line and a hint", () => {
    const parsed = parseAgentScript(
      "version: 1\ntasks:\n  t1:\n    actions:\n      - wrte: { path: a, content: b }\n",
      "s.yaml",
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.issues[0]).toMatchObject({
        line: 5,
        file: "s.yaml",
        hint: 'did you mean "write"?',
      });
  });

  it("refuses a task id that is not a slug", () => {
    expect(
      parseAgentScript(
        "version: 1\ntasks:\n  Bad_Id:\n    actions: [{ finish: { summary: x } }]\n",
        "s.yaml",
      ).ok,
    ).toBe(false);
  });
});

describe("the script evaluator", () => {
  const request = {
    boltId: "b1",
    intent: { id: "i", title: "I", goal: "g", requirements: [] },
    diff: "",
    attempt: 1,
  };
  const script = `version: 1
evaluation:
  - verdict: request_changes
    summary: a refund above the payment is accepted
    findings:
      - { requirement: REQ-3, verdict: not_met, reason: an amount above the payment gets 201 }
  - verdict: approve
    summary: all met
`;

  it("gives attempt n the n-th verdict, the last repeating", async () => {
    const parsed = parseAgentScript(script, "e.yaml");
    if (!parsed.ok) throw new Error(parsed.issues[0]?.message);
    const evaluator = createScriptEvaluator(parsed.value, "e.yaml");
    const signal = new AbortController().signal;
    const verdicts = [];
    for (const attempt of [1, 2, 3])
      verdicts.push(await evaluator.evaluate({ ...request, attempt }, signal));
    expect(verdicts.map((v) => v.verdict)).toEqual(["request_changes", "approve", "approve"]);
    expect(verdicts[1]?.findings).toEqual([]);
  });

  it("names a misspelt verdict with its line", () => {
    const parsed = parseAgentScript(
      script.replace("verdict: approve", "verdict: approved"),
      "e.yaml",
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]).toMatchObject({ file: "e.yaml", line: 7 });
  });

  it("is an error naming the file when the script has no evaluation", async () => {
    const parsed = parseAgentScript("version: 1\n", "planner.yaml");
    if (!parsed.ok) throw new Error(parsed.issues[0]?.message);
    await expect(
      createScriptEvaluator(parsed.value, "planner.yaml").evaluate(
        request,
        new AbortController().signal,
      ),
    ).rejects.toMatchObject({
      code: "script-without-evaluation",
      message: "planner.yaml has no evaluation",
    });
  });
});

// factory.evaluate on a real home and product repository: a scripted evaluator, a missing one,
// and the llm evaluator through each vendor's official SDK against its twin on 127.0.0.1.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Evaluation } from "../../agents/index.js";
import { createRedactor } from "../../governance/index.js";
import { type AgentConfig, type Home, initHome, openHome } from "../../home/index.js";
import {
  anthropicTwin,
  createTwin,
  openaiTwin,
  type ServedTwin,
  type Twin,
} from "../../twins/index.js";
import { RunContext } from "../engine/run-context.js";
import type { PipelineNode } from "../graph.js";
import { boltWorkspace } from "./bolt-workspace.js";
import { createEvaluateHandler, diffOf, satisfactionOf } from "./evaluate.js";
import { ctx } from "./factory-deps.js";

const INTENT = {
  id: "refunds",
  title: "Refunds",
  goal: "Refund a captured payment.",
  risk: "low",
  requirements: [
    { id: "REQ-1", statement: "WHEN a client sends POST /refunds THE SYSTEM SHALL refund." },
    { id: "REQ-3", statement: "WHEN the amount is too high THE SYSTEM SHALL answer 422." },
  ],
};
const NOT_MET: Evaluation = {
  verdict: "request_changes",
  summary: "refunds above the payment are accepted",
  findings: [
    { requirement: "REQ-1", verdict: "met", reason: "POST /refunds refunds" },
    { requirement: "REQ-3", verdict: "not_met", reason: "an amount above the payment gets 201" },
  ],
};
const APPROVED: Evaluation = {
  verdict: "approve",
  summary: "both requirements are met",
  findings: [
    { requirement: "REQ-1", verdict: "met", reason: "POST /refunds refunds" },
    { requirement: "REQ-3", verdict: "met", reason: "too high gets 422" },
  ],
};

let work: string;
let root: string;
let home: Home;
let bolts = 0;
const served: ServedTwin[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "df-evaluate-"));
  chmodSync(work, 0o755);
  const made = await initHome({ dir: work, example: "acme", actor: "user:test", env: {} });
  root = made.root;
  home = made.home;
});
afterEach(async () => {
  for (const s of served.splice(0)) await s.close();
});
afterAll(async () => {
  await home.close();
  rmSync(work, { recursive: true, force: true });
});

/** factory.yaml with `agents.evaluator` set (or removed), and the home opened again on it. */
async function useEvaluator(config: AgentConfig | undefined, script?: object): Promise<void> {
  const file = join(root, "factory.yaml");
  const yaml = parse(readFileSync(file, "utf8"));
  if (config) yaml.agents.evaluator = config;
  else delete yaml.agents.evaluator;
  writeFileSync(file, stringify(yaml));
  if (script) writeFileSync(join(root, "agents", "evaluator.yaml"), stringify(script));
  await home.close();
  home = openHome(root, { env: {} });
}

/** A bolt whose integration branch adds src/refunds.js to the product. */
async function boltWithChange(): Promise<string> {
  const boltId = `b-eval-${++bolts}`;
  const ws = boltWorkspace(home, boltId, {});
  const { path } = await ws.ensureIntegration();
  writeFileSync(join(path, "src", "refunds.js"), "export const refund = (amount) => amount;\n");
  await ws.git.commitAll(path, "Refunds", { Bolt: boltId, Task: "refunds" });
  return boltId;
}

async function evaluate(boltId: string, visit: number, extra: Record<string, unknown> = {}) {
  const node: PipelineNode = {
    id: "evaluate",
    attrs: { type: "factory.evaluate" },
    attrPos: {},
    pos: { line: 1, column: 1 },
    classes: [],
  };
  const stageDir = join(root, ".factory", "runs", boltId, "evaluate");
  const handler = createEvaluateHandler({
    home,
    sandbox: () => Promise.reject(new Error("the evaluator needs no sandbox")),
    env: {},
    actor: "factory",
  });
  const outcome = await handler.execute({
    node,
    graph: { id: "g", file: "g.dot", attrs: {}, attrPos: {}, nodes: new Map(), edges: [] },
    context: new RunContext(Object.entries({ [ctx.intent]: INTENT, ...extra })),
    boltId,
    stageDir,
    runDir: join(stageDir, ".."),
    attempt: 1,
    visit,
    idempotencyKey: `${boltId}:evaluate:${visit}:1`,
    signal: new AbortController().signal,
    runBranch: () => Promise.reject(new Error("no branches here")),
  });
  if ("waiting" in outcome) throw new Error("factory.evaluate never waits");
  const audit = (await home.store.readAudit({ limit: 100_000 })).filter(
    (e) => e.subject === `bolt:${boltId}/evaluate`,
  );
  return { outcome, audit, stageDir };
}

describe("factory.evaluate with a scripted evaluator", () => {
  it("approves: success, the verdict audited by agent:evaluator and kept as an artifact", async () => {
    await useEvaluator(
      { driver: "script", script: "agents/evaluator.yaml" },
      { version: 1, evaluation: [APPROVED] },
    );
    const boltId = await boltWithChange();
    const { outcome, audit, stageDir } = await evaluate(boltId, 1);
    expect(outcome).toMatchObject({
      status: "success",
      context_updates: { [ctx.verdict]: "approve" },
    });
    const verdict = audit.find((e) => e.action === "evaluate.verdict");
    expect(verdict).toMatchObject({
      actor: "agent:evaluator",
      data: { verdict: "approve", evaluator: "script", attempt: 1, findings: APPROVED.findings },
    });
    const artifact = JSON.parse(readFileSync(join(stageDir, "evaluation.visit-1.json"), "utf8"));
    expect(artifact).toMatchObject({ verdict: "approve", judged: { diffTruncated: false } });
  });

  it("requests changes on the first attempt, with the finding as the builders' feedback, then approves", async () => {
    await useEvaluator(
      { driver: "script", script: "agents/evaluator.yaml" },
      { version: 1, evaluation: [NOT_MET, APPROVED] },
    );
    const boltId = await boltWithChange();
    const first = await evaluate(boltId, 1);
    expect(first.outcome.status).toBe("fail");
    expect(first.outcome.failure_reason).toContain("REQ-3 not_met");
    const feedback = String(first.outcome.context_updates?.[ctx.feedback]);
    expect(feedback).toContain("REQ-3 (not met): an amount above the payment gets 201");
    // Only what is wanting goes back to the builders.
    expect(feedback).not.toContain("REQ-1");
    expect(first.outcome.context_updates?.[ctx.verdict]).toBe("request_changes");

    const second = await evaluate(boltId, 2);
    expect(second.outcome.status).toBe("success");
    const third = await evaluate(boltId, 3);
    expect(third.outcome.status).toBe("success"); // the last entry repeats
    expect(second.audit.filter((e) => e.action === "evaluate.verdict")).toHaveLength(2);
  });

  it("fails clearly, naming the file, when the evaluator's script has no evaluation", async () => {
    await useEvaluator({ driver: "script", script: "agents/planner.yaml" });
    const { outcome } = await evaluate(await boltWithChange(), 1);
    expect(outcome.status).toBe("fail");
    expect(outcome.failure_reason).toContain(
      `${join(root, "agents", "planner.yaml")} has no evaluation`,
    );
  });

  it("never approves when no evaluator is configured: it says to add agents.evaluator", async () => {
    await useEvaluator(undefined);
    const { outcome, audit } = await evaluate(await boltWithChange(), 1);
    expect(outcome).toMatchObject({ status: "fail", context_updates: { [ctx.verdict]: "" } });
    expect(outcome.failure_reason).toContain("factory.yaml names no evaluator");
    expect(outcome.failure_reason).toContain(
      `add agents.evaluator to ${join(root, "factory.yaml")}`,
    );
    expect(audit.map((e) => e.action)).toEqual(["evaluate.failed"]);
  });

  it("fails without calling the evaluator when there is no integration branch", async () => {
    await useEvaluator(
      { driver: "script", script: "agents/evaluator.yaml" },
      { version: 1, evaluation: [APPROVED] },
    );
    const { outcome } = await evaluate("b-never-built", 1);
    expect(outcome).toMatchObject({ status: "fail" });
    expect(outcome.failure_reason).toContain("needs factory.build before it");
  });
});

const SECRET = "acme-stripe-key-0123456789abcdef";

describe("what the evaluator is shown", () => {
  it("of the scenarios, only the summary's own fields: nothing else the context holds there", () => {
    const given = {
      satisfaction: 0.5,
      threshold: 0.9,
      passed: false,
      scenarios: [{ id: "refund-over-captured" }],
      requirements: [
        {
          id: "REQ-3",
          satisfaction: 0.5,
          steps: ["POST /refunds"],
          failures: [{ kind: "missing_field", field: "refundable", count: 1, expected: 422 }],
        },
      ],
    };
    expect(satisfactionOf(given)).toEqual({
      ok: true,
      value: {
        satisfaction: 0.5,
        threshold: 0.9,
        passed: false,
        requirements: [
          {
            id: "REQ-3",
            satisfaction: 0.5,
            failures: [{ kind: "missing_field", field: "refundable", count: 1 }],
          },
        ],
      },
    });
    expect(satisfactionOf(undefined)).toEqual({ ok: true });
    expect(satisfactionOf({ satisfaction: "high" })).toMatchObject({ ok: false });
  });

  it("lists the files, redacts, and is cut at a line with a note past the bound", async () => {
    const boltId = `b-eval-${++bolts}`;
    const ws = boltWorkspace(home, boltId, {});
    const { path } = await ws.ensureIntegration();
    const big = Array.from({ length: 400 }, (_, i) => `export const line${i} = ${i};`).join("\n");
    writeFileSync(join(path, "src", "big.js"), `${big}\n`);
    writeFileSync(join(path, "src", "key.js"), `export const key = "${SECRET}";\n`);
    await ws.git.commitAll(path, "Big", { Bolt: boltId, Task: "big" });
    const redactor = createRedactor({ secretValues: [SECRET] });
    const whole = await diffOf(ws, "main", ws.integrationBranch, redactor);
    expect(whole.truncated).toBe(false);
    expect(whole.text).toMatch(/src\/big\.js \| 400 \+{10,}/);
    expect(whole.text).toContain('+export const key = "[REDACTED]";');
    expect(whole.text).not.toContain(SECRET);
    const cut = await diffOf(ws, "main", ws.integrationBranch, redactor, 2_000);
    expect(cut.truncated).toBe(true);
    expect(cut.text.length).toBeLessThan(2_200);
    expect(cut.text).toMatch(/\n\[… the diff is cut here: \d+ of \d+ characters shown/);
    expect(cut.text).toContain("src/big.js");
    expect(cut.text).toContain("src/key.js");
  });
});

const vendors = [
  { name: "anthropic", twin: anthropicTwin, model: "claude-sonnet-5-5", path: "" },
  { name: "openai", twin: openaiTwin, model: "gpt-4.1", path: "/v1" },
] as const;

describe.each(vendors)(
  "factory.evaluate with the llm evaluator against the $name twin",
  (vendor) => {
    async function withModel(turns: object[]) {
      const twin = createTwin(vendor.twin, {
        seed: "evaluate",
        options: { cassette: { turns } },
      }) as Twin<unknown>;
      const server = await twin.serve();
      served.push(server);
      await useEvaluator({
        driver: "llm",
        provider: vendor.name,
        model: vendor.model,
        base_url: `${server.url}${vendor.path}`,
      });
      return twin;
    }
    const answers = (twin: Twin<unknown>) => twin.journal().filter((e) => e.method === "POST");

    it("approves on a JSON verdict, told the diff, the tests and only the sanitized scenario results", async () => {
      const twin = await withModel([
        {
          id: "verdict",
          match: { system_contains: "evaluator of a software factory" },
          reply: { text: JSON.stringify(APPROVED) },
        },
      ]);
      const { outcome, audit } = await evaluate(await boltWithChange(), 1, {
        [ctx.testSummary]: {
          command: "npm test",
          exitCode: 0,
          timedOut: false,
          ms: 9,
          tests: 6,
          passed: 6,
        },
        [ctx.satisfaction]: {
          satisfaction: 0.5,
          threshold: 0.9,
          passed: false,
          requirements: [
            { id: "REQ-3", satisfaction: 0.5, failures: [{ kind: "unexpected_status", count: 2 }] },
          ],
          // Nothing beyond the summary's own fields may reach the evaluator.
          scenarios: [{ id: "refund-over-captured", steps: ["POST /refunds amount=999999"] }],
        },
      });
      expect(outcome.status).toBe("success");
      const [request] = answers(twin);
      expect(request?.body).toContain("export const refund = (amount) => amount;");
      expect(request?.body).toContain("6 of 6 passed");
      expect(request?.body).toContain("REQ-3: satisfaction 0.50; failures: unexpected_status ×2");
      expect(request?.body).not.toContain("refund-over-captured");
      expect(request?.body).not.toContain("999999");
      const calls = audit.filter((e) => e.action === "agent.model_call");
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ actor: "agent:evaluator", data: { provider: vendor.name } });
      expect(calls[0]?.data).toMatchObject({ inputTokens: expect.any(Number) });
      expect((calls[0]?.data as { inputTokens?: number } | undefined)?.inputTokens).toBeGreaterThan(
        0,
      );
    });

    it("tells the model no scenarios ran, and gets a second answer after a malformed one", async () => {
      const twin = await withModel([
        {
          id: "again",
          match: { last_user_contains: "That answer is not usable" },
          reply: { text: `Here it is:\n\`\`\`json\n${JSON.stringify(NOT_MET)}\n\`\`\`` },
        },
        { id: "first", match: {}, reply: { text: "The change looks fine to me." } },
      ]);
      const { outcome, audit } = await evaluate(await boltWithChange(), 1);
      expect(outcome.status).toBe("fail");
      expect(String(outcome.context_updates?.[ctx.feedback])).toContain("REQ-3 (not met)");
      const [first, second] = answers(twin);
      expect(first?.body).toContain("no holdout scenarios ran");
      expect(second?.body).toContain("it holds no JSON object");
      expect(audit.filter((e) => e.action === "agent.model_call")).toHaveLength(2);
      expect(audit.filter((e) => e.action === "agent.malformed_answer")).toHaveLength(1);
    });

    it("fails with a clear reason after two malformed answers", async () => {
      const twin = await withModel([
        { id: "wrong", match: {}, reply: { text: '{"verdict": "looks good", "summary": "ok"}' } },
      ]);
      const { outcome, audit } = await evaluate(await boltWithChange(), 1);
      expect(outcome).toMatchObject({ status: "fail", context_updates: { [ctx.verdict]: "" } });
      expect(outcome.failure_reason).toMatch(
        /the evaluator could not judge the change: .* gave no usable verdict in 2 answers; last: it does not match the schema: verdict/,
      );
      expect(outcome.context_updates?.[ctx.feedback]).toBeUndefined();
      expect(answers(twin)).toHaveLength(2);
      expect(audit.filter((e) => e.action === "evaluate.verdict")).toHaveLength(0);
    });
  },
);

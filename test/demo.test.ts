// `factory demo` as a new user meets it: the acme refunds intent taken through a whole bolt
// in a fresh folder, the failing first build attempt and its route back, the release merge
// commit and its trailers, the approval gate at medium risk, `factory logs` and `factory gc`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, factory } from "./support/factory-cli.js";

interface DemoJson {
  bolt: string;
  status: string;
  home: string;
  product: string;
  nodes: { id: string; status: string; attempts: number; visits: number; ms: number }[];
  scenarios: {
    visit: number;
    passed: boolean;
    satisfaction: number;
    trajectories: number;
    feedback: string | null;
  }[];
  files: string[];
  tests: { tests: number; passed: number; failed?: number } | null;
  release: string | null;
  gate: {
    decision: string;
    policies: string[];
    rules: { id: string }[];
    passed: string[];
    risk: { declared: string; measured: string; level: string };
    approval: { count: number };
  } | null;
  audit: { entries: number; head: string; intact: boolean };
}

const git = (repo: string, ...args: string[]) =>
  execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();
const parse = (run: CliRun) => {
  expect(() => JSON.parse(run.stdout), run.stderr).not.toThrow();
  return JSON.parse(run.stdout);
};

let work: string;
beforeAll(() => {
  // 0700, as mktemp makes it: the factory must open the path for the sandbox user itself.
  work = mkdtempSync(join(tmpdir(), "df-demo-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("factory demo", () => {
  let run: CliRun;
  let demo: DemoJson;
  beforeAll(async () => {
    run = await factory(["demo", "--dir", join(work, "low"), "--json"], { cwd: work });
    demo = parse(run);
  }, 300_000);

  it("takes the intent to a release on main, with the first attempt's failing test routed back", () => {
    expect(run.code, run.stderr).toBe(0);
    expect(demo).toMatchObject({
      status: "succeeded",
      home: join(work, "low", "factory"),
      audit: { intact: true },
    });
    const byId = Object.fromEntries(demo.nodes.map((n) => [n.id, n]));
    expect(Object.keys(byId)).toEqual([
      "start",
      "intake",
      "plan",
      "build",
      "test",
      "scenarios",
      "evaluate",
      "gates",
      "release",
    ]);
    // Back from test once (a broken payments test), and from scenarios once (Stripe's key).
    expect(byId.build).toMatchObject({ status: "success", visits: 3 });
    expect(byId.test).toMatchObject({ status: "success", visits: 3 });
    expect(byId.scenarios).toMatchObject({ status: "success", visits: 2 });
    expect(demo.scenarios.map((p) => [p.visit, p.passed])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(demo.scenarios[1]).toMatchObject({ satisfaction: 1, trajectories: 7 });
    const told = demo.scenarios[0]?.feedback ?? "";
    expect(told).toContain("- REQ-1 (satisfied in");
    expect(told).toContain("the product answered with an unexpected HTTP status");
    // Only requirements and kinds: nothing of the scenarios themselves.
    for (const secret of [
      "refund-happy-path",
      "a customer Stripe knows",
      "pm_card_visa",
      "idem_",
      "sk_test_scenario",
    ])
      expect(told).not.toContain(secret);
    expect(run.stderr).toMatch(/✗ scenarios: \d+\.\d% of 7 trajectories/);
    expect(run.stderr).toMatch(/✗ scenarios fail in \d+ ms → build/);
    expect(run.stderr).toContain("refunds-api attempt 3: builder at work");
    for (const node of demo.nodes) expect(node.ms).toBeGreaterThanOrEqual(0);
    expect(demo.files).toEqual(["README.md", "src/app.js", "test/refunds.test.js"]);
    expect(demo.tests).toMatchObject({ tests: 12, passed: 12 });
    // The release went through the policy engine: the home's copy of the shipped default
    // policy judged the change, every rule passed, and a low-risk change needs no person.
    expect(demo.gate).toMatchObject({
      decision: "allow",
      policies: [join(demo.home, "policies", "default.yaml")],
      rules: [],
      risk: { declared: "low", measured: "low", level: "low" },
      approval: { count: 0 },
    });
    expect(demo.gate?.passed).toContain("no-secrets");
    expect(demo.gate?.passed).toHaveLength(20);
    // Progress on stderr: node, attempt, elapsed; the failure and the way back.
    expect(run.stderr).toMatch(/\[\s*\d+\.\ds\] ▸ build/);
    expect(run.stderr).toMatch(/✗ npm test: 11\/12 passed, 1 failed/);
    expect(run.stderr).toMatch(/✗ test fail in \d+ ms → build/);
    expect(run.stderr).toContain("refunds-api attempt 2: builder at work");
  });

  it("releases with one merge commit carrying Bolt, Intent and Audit-Head, which anchors the audit chain", async () => {
    const product = join(work, "low", "product");
    const main = git(product, "rev-parse", "main");
    expect(main).toBe(demo.release);
    expect(git(product, "rev-list", "--parents", "-n", "1", "main").split(" ")).toHaveLength(3);
    const trailers = git(product, "log", "-1", "--format=%(trailers:only,unfold)", "main");
    expect(trailers).toContain(`Bolt: ${demo.bolt}`);
    expect(trailers).toContain("Intent: refunds");
    const anchor = /Audit-Head: (\d+:[0-9a-f]{64})/.exec(trailers)?.[1];
    expect(anchor).toBeDefined();
    // Exactly one release of this bolt on main.
    const releases = git(
      product,
      "log",
      "--format=%(trailers:key=Bolt,valueonly)",
      "--merges",
      "--first-parent",
      "main",
    )
      .split("\n")
      .filter((bolt) => bolt === demo.bolt);
    expect(releases).toHaveLength(1);
    // The product's own checkout follows main, and its tests pass there.
    expect(git(product, "status", "--porcelain")).toBe("");
    expect(readFileSync(join(product, "src", "app.js"), "utf8")).toContain("/refunds");
    const verify = await factory(["audit", "verify", "--head", anchor ?? "", "--json"], {
      cwd: demo.home,
    });
    expect(verify.code, verify.stdout).toBe(0);
    // After the release, the gate judges the same change again: main before the merge
    // against the released integration head, with what the bolt measured.
    const gate = await factory(["gate", "check", "--bolt", demo.bolt, "--json"], {
      cwd: demo.home,
    });
    expect(gate.code, gate.stderr).toBe(0);
    const judged = JSON.parse(gate.stdout);
    expect(judged.decision).toBe("allow");
    expect(judged.base).toBe(git(product, "rev-parse", "main^1"));
    expect(judged.head).toBe(git(product, "rev-parse", "main^2"));
    expect(judged.facts.change.paths).toEqual(demo.files);
    expect(judged.facts.scenarios).toMatchObject({ present: true, satisfied: true });
    expect(judged.facts.evaluation).toEqual({ present: true, verdict: "approve" });
    expect(judged.facts.cost.tokens).toBeGreaterThan(0);
    // The builder's commits are the orchestrator's, with the task and attempt as trailers.
    const taskCommits = git(
      product,
      "log",
      "--no-merges",
      "--format=%an|%(trailers:key=Task,valueonly,separator=)|%(trailers:key=Attempt,valueonly,separator=)",
      "main",
    );
    expect(taskCommits.split("\n")).toEqual(
      expect.arrayContaining([
        "darkfactory|refunds-api|3",
        "darkfactory|refunds-api|2",
        "darkfactory|refunds-api|1",
        "darkfactory|refunds-docs|1",
      ]),
    );
  });

  it("builds through the llm driver: the anthropic twin, Anthropic's SDK and our tool loop, with every model call in the audit", async () => {
    const model = (demo as DemoJson & { model: { steps: number; tokens: number; usd: number } })
      .model;
    // refunds-api: six steps on attempt 1, four on attempts 2 and 3; refunds-docs: three on
    // each of its three visits.
    expect(model).toMatchObject({ name: "claude-sonnet-5-5", steps: 23 });
    expect(model.tokens).toBeGreaterThan(10_000);
    expect(model.usd).toBeGreaterThan(0);
    const logs = await factory(["logs", demo.bolt, "--node", "build", "--json"], {
      cwd: demo.home,
    });
    const entries = parse(logs).entries as { action: string; data: Record<string, unknown> }[];
    const calls = entries.filter((e) => e.action === "agent.model_call");
    expect(calls).toHaveLength(23);
    expect(calls[0]?.data).toMatchObject({ provider: "anthropic", stopReason: "tool_use" });
    expect(calls.map((c) => (c.data.toolCalls as string[])[0])).toContain("finish");
    // The demo's home says where its builder's model is.
    const config = readFileSync(join(demo.home, "factory.yaml"), "utf8");
    expect(config).toMatch(/driver: llm[\s\S]*base_url: http:\/\/127\.0\.0\.1:\d+/);
  });

  it("logs what each agent did, with commands, exit codes and output", async () => {
    const logs = await factory(["logs", demo.bolt], { cwd: demo.home });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(
      /builder refunds-api#1: claude-sonnet-5-5 step 1 → tool_use \(read\)/,
    );
    expect(logs.stdout).toMatch(/builder refunds-api#1: write src\/app\.js \(\d+ bytes\)/);
    expect(logs.stdout).toMatch(/builder refunds-api#1: run `npm test` → exit 1/);
    expect(logs.stdout).toMatch(/│ not ok \d+ - a payment is created/);
    expect(logs.stdout).toMatch(/builder refunds-api#2: run `npm test` → exit 0/);
    const onlyTest = await factory(["logs", demo.bolt, "--node", "test", "--json"], {
      cwd: demo.home,
    });
    const entries = parse(onlyTest).entries as {
      node: string;
      action: string;
      data: { exitCode: number };
    }[];
    expect(new Set(entries.map((e) => e.node))).toEqual(new Set(["test"]));
    expect(entries.filter((e) => e.action === "test.run").map((e) => e.data.exitCode)).toEqual([
      1, 0, 0,
    ]);
    const unknown = await factory(["logs", "b-nope"], { cwd: demo.home });
    expect(unknown.code).toBe(2);
  });

  it("runs the scenarios again on the bolt's integration branch, as released", async () => {
    const run = await factory(["scenarios", "run", "--bolt", demo.bolt, "--json"], {
      cwd: demo.home,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(parse(run)).toMatchObject({ satisfaction: 1, trajectories: 7, passed: true });
  });

  it("gc removes the finished bolt's worktrees and branches, keeping its journal and audit trail", async () => {
    const product = join(work, "low", "product");
    const worktrees = join(demo.home, ".factory", "worktrees");
    expect(readdirSync(worktrees)).toEqual([demo.bolt]);
    expect(git(product, "branch", "--list", `factory/${demo.bolt}/*`)).not.toBe("");
    const gc = await factory(["gc", "--json"], { cwd: demo.home });
    expect(gc.code, gc.stderr).toBe(0);
    expect(parse(gc).collected).toEqual([
      expect.objectContaining({ bolt: demo.bolt, status: "succeeded", worktrees: 3 }),
    ]);
    expect(existsSync(join(worktrees, demo.bolt))).toBe(false);
    expect(git(product, "branch", "--list", "factory/*")).toBe("");
    expect(git(product, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
    const status = await factory(["status", demo.bolt, "--json"], { cwd: demo.home });
    expect(parse(status)).toMatchObject({ status: "succeeded" });
    expect((await factory(["audit", "verify"], { cwd: demo.home })).code).toBe(0);
    const again = await factory(["gc", "--json"], { cwd: demo.home });
    expect(parse(again).collected).toEqual([]);
  });
});

describe("factory demo --driver script", () => {
  it("plays the builder's script directly, with the same route back and release", async () => {
    const run = await factory(
      ["demo", "--dir", join(work, "script"), "--driver", "script", "--json"],
      { cwd: work },
    );
    expect(run.code, run.stderr).toBe(0);
    const demo = parse(run) as DemoJson & { model: unknown };
    expect(demo).toMatchObject({ status: "succeeded", model: null });
    expect(demo.nodes.find((n) => n.id === "build")).toMatchObject({ visits: 3 });
    const logs = await factory(["logs", demo.bolt, "--json"], { cwd: demo.home });
    const actions = (parse(logs).entries as { action: string }[]).map((e) => e.action);
    expect(actions).not.toContain("agent.model_call");
    expect(actions).toContain("agent.write");
  }, 300_000);
});

describe("factory demo --risk medium", () => {
  it("stops at the approval gate (exit 3); approving in the home releases it", async () => {
    const run = await factory(
      ["demo", "--dir", join(work, "medium"), "--risk", "medium", "--json"],
      {
        cwd: work,
      },
    );
    expect(run.code, run.stderr).toBe(3);
    const demo = parse(run) as DemoJson & { waiting: string };
    expect(demo).toMatchObject({ status: "waiting", waiting: "approve_release", release: null });
    const product = join(work, "medium", "product");
    const before = git(product, "rev-parse", "main");
    expect(git(product, "log", "--oneline", "main").split("\n")).toHaveLength(1);
    // The worktrees of a waiting bolt are not garbage.
    const gc = await factory(["gc", "--json"], { cwd: demo.home });
    expect(parse(gc).collected).toEqual([]);

    const approve = await factory(["approve", demo.bolt, "approve_release", "--json"], {
      cwd: demo.home,
    });
    expect(approve.code, approve.stderr).toBe(0);
    expect(parse(approve)).toMatchObject({ status: "succeeded" });
    expect(git(product, "rev-parse", "main^1")).toBe(before);
    expect(git(product, "log", "-1", "--format=%(trailers:key=Bolt,valueonly)", "main")).toBe(
      demo.bolt,
    );
  }, 300_000);
});

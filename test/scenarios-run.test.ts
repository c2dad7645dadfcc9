// `factory scenarios run` as a user meets it, on the acme example: the product the builder
// script makes is satisfied; the one with its second attempt's bug (Stripe's key sent with
// form bodies only) is not, and the evidence says why; bad scenarios and products fail
// their own trajectories while the rest run.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { SatisfactionReport, Trajectory } from "../src/scenarios/index.js";
import { factory } from "./support/factory-cli.js";

interface Action {
  write?: { path: string; content: string };
  edit?: { path: string; old: string; new: string };
}

let work: string;
let home: string;
let built: string;
let buggy: string;

/** The product as the builder script leaves it after `attempts` attempts of refunds-api. */
function buildProduct(to: string, attempts: number): string {
  cpSync(join(work, "acme", "product"), to, {
    recursive: true,
    filter: (source) => !source.endsWith("/.git"),
  });
  const script = parse(readFileSync(join(home, "agents", "builder.yaml"), "utf8")) as {
    tasks: Record<string, { attempts: { actions: Action[] }[] }>;
  };
  for (const attempt of script.tasks["refunds-api"]?.attempts.slice(0, attempts) ?? [])
    for (const action of attempt.actions) {
      if (action.write) {
        mkdirSync(dirname(join(to, action.write.path)), { recursive: true });
        writeFileSync(join(to, action.write.path), action.write.content);
      }
      if (action.edit) {
        const file = join(to, action.edit.path);
        const text = readFileSync(file, "utf8");
        expect(text).toContain(action.edit.old);
        writeFileSync(file, text.replace(action.edit.old, action.edit.new));
      }
    }
  return to;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "df-scenarios-run-"));
  const init = await factory(["init", join(work, "acme"), "--example", "acme"], { cwd: work });
  expect(init.code, init.stderr).toBe(0);
  home = join(work, "acme", "factory");
  built = buildProduct(join(work, "built"), 3);
  buggy = buildProduct(join(work, "buggy"), 2);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = async (args: string[]) => {
  const result = await factory(["scenarios", "run", ...args, "--json"], { cwd: home });
  return { ...result, report: JSON.parse(result.stdout || "null") as SatisfactionReport };
};

// Each run builds, starts and tests real products in bwrap: minutes on a loaded 2-core machine.
describe("factory scenarios run", { timeout: 300_000 }, () => {
  it("satisfies every scenario with the built product, over seeds and fault profiles", async () => {
    const out = join(work, "trajectories.json");
    const { code, stderr, report } = await run([
      "--worktree",
      built,
      "--repeat",
      "2",
      "--trajectories",
      out,
    ]);
    expect(code, stderr).toBe(0);
    // Every trajectory with its seed, its steps' timings and what they observed.
    const trajectories = JSON.parse(readFileSync(out, "utf8")) as Trajectory[];
    expect(trajectories).toHaveLength(14);
    expect(new Set(trajectories.map((t) => t.seed)).size).toBe(14);
    const happy = trajectories.find((t) => t.scenario === "refund-happy-path");
    expect(happy?.verdict).toBe("satisfied");
    expect(happy?.steps.map((s) => s.kind)).toEqual(["twin", "http", "http", "twin"]);
    expect(happy?.steps[2]).toMatchObject({ ok: true, observation: { status: 201 } });
    expect(happy?.steps.every((s) => s.ms >= 0)).toBe(true);
    // Six scenarios twice each, and stripe-faults twice more under its fault profile.
    expect(report.trajectories).toBe(14);
    expect(report.satisfaction).toBe(1);
    expect(report.passed).toBe(true);
    expect(report.requirements.map((r) => [r.id, r.satisfaction])).toEqual([
      ["REQ-1", 1],
      ["REQ-2", 1],
      ["REQ-3", 1],
      ["REQ-4", 1],
      ["REQ-5", 1],
    ]);
    const faults = report.scenarios.find((s) => s.id === "stripe-faults");
    expect(faults?.trajectories).toBe(4);
    expect(stderr).toMatch(/refund-happy-path \(must\)\s+100\.0%\s+2/);
    expect(stderr).toContain("✓ satisfied: 100.0% of 14 trajectories (threshold 95.0%)");
  });

  it("finds what the tests' stubs missed, with the evidence, and exits 1", async () => {
    const { code, report, stderr } = await run(["--worktree", buggy]);
    expect(code, stderr).toBe(1);
    expect(report.passed).toBe(false);
    expect(report.satisfaction).toBeLessThan(0.95);
    expect(report.must_pass_failed).toContain("refund-happy-path");
    const happy = report.scenarios.find((s) => s.id === "refund-happy-path");
    expect(happy?.failures[0]).toMatchObject({
      kind: "unexpected_status",
      evidence: { request: "POST /refunds", status: 502 },
    });
    // Stripe's own words for a request without its key, relayed by the product.
    expect(JSON.stringify(happy?.failures[0]?.evidence)).toMatch(/API key/i);
    expect(stderr).toContain("✗ unsatisfied");
  });

  it("runs a fresh product per trajectory too, with the same verdicts", async () => {
    const scenarios = join(home, "scenarios");
    const { code, report, stderr } = await run([
      join(scenarios, "refund-happy-path.yaml"),
      join(scenarios, "idempotent-retry.yaml"),
      "--worktree",
      built,
      "--isolation",
      "fresh",
      "--repeat",
      "2",
      "--parallel",
      "2",
    ]);
    expect(code, stderr).toBe(0);
    expect(report.trajectories).toBe(4);
    expect(report.satisfaction).toBe(1);
  });

  it("has the evaluator judge a scenario's rubric on what was observed, and records why", async () => {
    const script = join(home, "agents", "evaluator.yaml");
    const approving = readFileSync(script, "utf8");
    writeFileSync(
      script,
      `version: 1
evaluation:
  - verdict: request_changes
    summary: a refused refund was reported as a success
    findings: [{ requirement: REQ-1, verdict: not_met, reason: the 502 lacks Stripe's message }]
`,
    );
    try {
      const faults = join(home, "scenarios", "stripe-faults.yaml");
      const { code, report } = await run([faults, "--worktree", built]);
      expect(code).toBe(1);
      const failures = report.scenarios[0]?.failures ?? [];
      // Every step passed; the rubric's judge is what failed them.
      expect(failures).toHaveLength(2);
      for (const failure of failures) {
        expect(failure.kind).toBe("rubric");
        expect(failure.message).toContain("a refused refund was reported as a success");
      }
    } finally {
      writeFileSync(script, approving);
    }
    const approved = await run([
      join(home, "scenarios", "stripe-faults.yaml"),
      "--worktree",
      built,
    ]);
    expect(approved.code, approved.stderr).toBe(0);
  });

  it("asks for a target, and refuses a bad count or mode, before running anything", async () => {
    const none = await factory(["scenarios", "run"], { cwd: home });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--worktree <path> or --bolt <id>");
    const count = await factory(["scenarios", "run", "--worktree", built, "--repeat", "0"], {
      cwd: home,
    });
    expect(count.code).toBe(2);
    expect(count.stderr).toContain("--repeat 0 is not a whole number");
    const mode = await factory(["scenarios", "run", "--worktree", built, "--isolation", "shared"], {
      cwd: home,
    });
    expect(mode.code).toBe(2);
    const missing = await factory(["scenarios", "run", "--worktree", join(work, "nope")], {
      cwd: home,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no product folder at");
  });
});

describe("bad scenarios and bad products", { timeout: 300_000 }, () => {
  let folder: string;
  beforeAll(() => {
    folder = join(work, "bad-scenarios");
    mkdirSync(folder);
    const product = (start: string, extra = "") => `product:
  start: ${JSON.stringify(start)}
  port: 3000
  ready: /health
  ready_timeout_s: 2
  env: { PORT: "{{product.port}}" }
${extra}`;
    const server = `node -e "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,'127.0.0.1')"`;
    writeFileSync(join(folder, "a-malformed.yaml"), "id: a-malformed\ntitle: [unclosed\n");
    writeFileSync(
      join(folder, "b-unknown-twin.yaml"),
      `id: b-unknown-twin\ntitle: t\nrequirements: [REQ-1]\ntwins: [{ name: strpe }]\n${product(server)}steps:\n  - http: { path: /health }\n`,
    );
    writeFileSync(
      join(folder, "c-never-ready.yaml"),
      `id: c-never-ready\ntitle: t\nrequirements: [REQ-1]\n${product("sleep 30")}steps:\n  - http: { path: /health }\n`,
    );
    writeFileSync(
      join(folder, "d-exits.yaml"),
      `id: d-exits\ntitle: t\nrequirements: [REQ-2]\n${product("echo cannot start >&2; exit 3")}steps:\n  - http: { path: /health }\n`,
    );
    writeFileSync(
      join(folder, "e-hangs.yaml"),
      `id: e-hangs\ntitle: t\nrequirements: [REQ-3]\n${product(server)}steps:\n  - cli: { command: "sleep 20", timeout_ms: 500 }\n`,
    );
    writeFileSync(
      join(folder, "f-fine.yaml"),
      `id: f-fine\ntitle: t\nrequirements: [REQ-4]\n${product(server)}steps:\n  - http: { path: /health, expect: { status: 200 } }\n  - cli: { command: "cat", stdin: "hello", expect: { exit: 0, stdout: { equals: hello } } }\n`,
    );
  });

  it("reports each failure with its reason and runs the others to their verdicts", async () => {
    const { code, report, stderr } = await run([folder, "--worktree", built, "--repeat", "1"]);
    expect(code, stderr).toBe(1);
    expect(report.problems.map((p) => p.file.split("/").at(-1))).toEqual([
      "a-malformed.yaml",
      "b-unknown-twin.yaml",
    ]);
    expect(report.problems[1]?.message).toContain("no twin named strpe");
    const failure = (id: string) => report.scenarios.find((s) => s.id === id)?.failures[0];
    expect(failure("c-never-ready")).toMatchObject({ kind: "product_not_ready" });
    expect(failure("c-never-ready")?.message).toContain("not ready within 2 s");
    expect(failure("d-exits")).toMatchObject({ kind: "product_not_ready" });
    expect(failure("d-exits")?.message).toMatch(/exited 3.*cannot start/);
    expect(failure("e-hangs")).toMatchObject({ kind: "timeout" });
    expect(report.scenarios.find((s) => s.id === "f-fine")?.satisfaction).toBe(1);
    expect(report.trajectories).toBe(4);
    expect(stderr).toContain("2 scenario file(s) could not run");
  });
});

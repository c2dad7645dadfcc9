// The bolt's gate as a team meets it: a builder's change to CI config raises a low-risk intent
// to high, so the release waits for two approvers, never the author; and a builder's secret
// is denied by the policy engine, failing the bolt with the rule and its evidence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acmeHome,
  type BoltHome,
  cli,
  git,
  readAudit,
  runRefunds,
  writeScripts,
} from "./fixtures/bolt/bolt-home.js";
import { factory } from "./support/factory-cli.js";

const PLAN = { version: 1, plan: [{ id: "ci", title: "Run the tests in CI", instructions: "." }] };
const CI = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{ run: npm test }]\n";

interface GateEntry {
  decision: string;
  head: string;
  risk: { declared: string; measured: string; level: string; reasons: string[] };
  approval: { level: string; count: number; roles: string[]; commit: string };
  rules: { id: string; decision: string; evidence: string[] }[];
}

async function gateEntry(home: string, bolt: string): Promise<GateEntry> {
  const entries = (await readAudit(home)).filter(
    (e) => e.action === "gate.decide" && e.subject === `bolt:${bolt}/gates`,
  );
  expect(entries).toHaveLength(1);
  return entries[0]?.data as GateEntry;
}

describe("a change to CI config: high risk, two approvers, never the author", () => {
  let fx: BoltHome;
  let bolt: string;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    fx = await acmeHome("df-gate-approvals-");
    writeScripts(fx.home, PLAN, {
      version: 1,
      tasks: {
        ci: {
          actions: [
            { write: { path: ".github/workflows/ci.yml", content: CI } },
            { finish: { summary: "CI runs the tests" } },
          ],
        },
      },
    });
    const run = await runRefunds(fx.home);
    expect(run.run.code, run.run.stderr).toBe(3);
    bolt = run.bolt;
    for (const name of ["user:bob", "user:carol"]) {
      const added = await cli(["principal", "add", name, "--role", "approver"], fx.home);
      expect(added.code, added.stderr).toBe(0);
      const made = await cli(["token", "create", name, "--json"], fx.home);
      expect(made.code, made.stderr).toBe(0);
      tokens[name] = JSON.parse(made.stdout).token;
    }
  }, 300_000);
  afterAll(() => fx?.cleanup());

  it("raises the intent's low risk to high and asks two approvers for the judged commit", async () => {
    const gate = await gateEntry(fx.home, bolt);
    expect(gate.decision).toBe("require_approval");
    expect(gate.rules.map((r) => [r.id, r.decision])).toEqual([
      ["protected-paths", "require_approval"],
    ]);
    expect(gate.rules[0]?.evidence).toEqual([".github/workflows/ci.yml is protected"]);
    expect(gate.risk).toMatchObject({ declared: "low", measured: "high", level: "high" });
    expect(gate.risk.reasons).toContain("touches protected path .github/workflows/ci.yml");
    const integration = git(fx.product, "rev-parse", `factory/${bolt}/integration`).trim();
    expect(gate.approval).toEqual({
      level: "high",
      count: 2,
      roles: ["approver"],
      commit: integration,
    });
  });

  it("refuses the author, counts one approver, refuses a second vote, and releases at two", async () => {
    const main = git(fx.product, "rev-parse", "main").trim();
    const self = await factory(["approve", bolt, "approve_release", "--json"], { cwd: fx.home });
    expect(self.code, self.stdout).toBe(1);
    expect(JSON.parse(self.stdout).error.message).toMatch(/started|author|own/);

    const asBob = { cwd: fx.home, env: { FACTORY_TOKEN: tokens["user:bob"] } };
    const bob = await factory(["approve", bolt, "approve_release", "--json"], asBob);
    expect(bob.code, bob.stderr).toBe(3);
    expect(JSON.parse(bob.stdout).approvals).toMatchObject({ approvals: 1, needed: 2 });
    expect(git(fx.product, "rev-parse", "main").trim()).toBe(main);

    const again = await factory(["approve", bolt, "approve_release", "--json"], asBob);
    expect(again.code).not.toBe(0);
    expect(again.code).not.toBe(3);

    const carol = await factory(["approve", bolt, "approve_release", "--json"], {
      cwd: fx.home,
      env: { FACTORY_TOKEN: tokens["user:carol"] },
    });
    expect(carol.code, carol.stderr).toBe(0);
    expect(JSON.parse(carol.stdout)).toMatchObject({ status: "succeeded" });
    expect(git(fx.product, "rev-parse", "main^1").trim()).toBe(main);
    const votes = (await readAudit(fx.home))
      .filter((e) => e.action === "gate.approval")
      .map((e) => e.actor);
    expect(votes).toEqual(["user:bob", "user:carol"]);
  }, 120_000);
});

describe("a builder's secret: the policy engine denies the release", () => {
  let fx: BoltHome;
  afterAll(() => fx?.cleanup());

  it("fails the bolt at gates with no-secrets and its evidence, and never touches main", async () => {
    fx = await acmeHome("df-gate-deny-");
    // Built from parts, so this repository holds no literal key.
    const key = ["AKIA", "Q3EGHX7T", "PLWMB2ZN"].join("");
    writeScripts(fx.home, PLAN, {
      version: 1,
      tasks: {
        ci: {
          actions: [
            { write: { path: "src/config.js", content: `export const awsKey = "${key}";\n` } },
            { finish: { summary: "the AWS key in the config" } },
          ],
        },
      },
    });
    const main = git(fx.product, "rev-parse", "main").trim();
    const run = await runRefunds(fx.home);
    expect(run.run.code, run.run.stderr).toBe(1);
    expect(run.status).toBe("failed");
    expect(run.completed, run.run.stderr).toContain("scenarios");
    expect(run.completed).not.toContain("release");
    const gate = await gateEntry(fx.home, run.bolt);
    expect(gate.decision).toBe("deny");
    expect(gate.rules.map((r) => r.id)).toEqual(["no-secrets"]);
    expect(gate.rules[0]?.evidence).toEqual(["src/config.js:1 found an AWS access key id"]);
    expect(run.run.stdout).toContain("denied by no-secrets");
    expect(run.run.stdout + run.run.stderr).not.toContain(key);
    expect(JSON.stringify(await readAudit(fx.home))).not.toContain(key);
    expect(git(fx.product, "rev-parse", "main").trim()).toBe(main);
  }, 300_000);
});

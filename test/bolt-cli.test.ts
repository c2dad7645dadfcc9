// `factory run <intent>` at its edges: an intent with errors stops the bolt at intake before any
// agent or worktree, and a machine without bwrap is told so on the run that falls back.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cassetteFromScript, loadAgentScript } from "../src/agents/index.js";
import { anthropicTwin, createTwin } from "../src/twins/index.js";
import { factory, projectRoot } from "./support/factory-cli.js";

let work: string;
let home: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "df-bolt-cli-"));
  chmodSync(work, 0o755);
  const init = await factory(["init", join(work, "acme"), "--example", "acme"], { cwd: work });
  expect(init.code, init.stderr).toBe(0);
  home = join(work, "acme", "factory");
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("factory run <intent>", () => {
  it("stops at intake on an intent with errors, naming them, before any worktree exists", async () => {
    copyFileSync(
      join(projectRoot, "examples", "intents", "broken-refunds.md"),
      join(home, "intents", "broken.md"),
    );
    const run = await factory(["run", "intents/broken.md", "--json"], { cwd: home });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.status).toBe("failed");
    expect(doc.outcome.failure_reason).toMatch(/the intent has \d+ errors/);
    expect(doc.outcome.failure_reason).toContain("duplicate-id");
    expect(existsSync(join(home, ".factory", "worktrees"))).toBe(false);
    const status = JSON.parse(
      (await factory(["status", doc.bolt, "--json"], { cwd: home })).stdout,
    );
    expect(status.nodes.map((n: { id: string; status: string }) => `${n.id}:${n.status}`)).toEqual([
      "start:success",
      "intake:fail",
    ]);
  });

  it("refuses a missing intent with exit 2 and a hint", async () => {
    const run = await factory(["run", "intents/nope.md"], { cwd: home });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no intent file at");
  });

  it("warns on the run itself when bwrap is missing and commands fall back to a child process", async () => {
    const run = await factory(["run", "intents/refunds.md"], {
      cwd: home,
      // Killed after the first commit: the warning comes with the first command.
      env: {
        FACTORY_BWRAP: join(work, "no-bwrap-here"),
        FACTORY_TEST_KILL_AT: "effect:commit:refunds-api",
      },
    });
    expect(run.code, run.stderr).toBe(137);
    expect(run.stderr).toMatch(/⚠ sandbox: .*no-bwrap-here failed a probe.*child processes/);
  });

  it("refuses to release when main moved after the bolt branched: what was tested is not what would ship", async () => {
    const run = await factory(["run", "intents/refunds.md", "--json"], { cwd: home });
    expect(run.code, run.stderr).toBe(3);
    const bolt = JSON.parse(run.stdout).bolt as string;
    // Someone pushes to main while the bolt waits for its approval.
    const product = join(work, "acme", "product");
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", product, "-c", "user.name=p", "-c", "user.email=p@x", ...args], {
        encoding: "utf8",
      }).trim();
    writeFileSync(join(product, "CHANGELOG.md"), "a hotfix\n");
    git("add", "CHANGELOG.md");
    git("commit", "-q", "-m", "hotfix");
    const hotfix = git("rev-parse", "main");

    const approve = await factory(["approve", bolt, "approve_release", "--json"], { cwd: home });
    expect(approve.code).toBe(1);
    expect(JSON.parse(approve.stdout).outcome.failure_reason).toMatch(
      /main moved since the bolt branched/,
    );
    expect(git("rev-parse", "main")).toBe(hotfix);
  }, 120_000);

  it("builds with --model on a provider's API: its key checked before any bolt exists, the model at every step", async () => {
    const noKey = await factory(["run", "intents/refunds.md", "--model", "claude-sonnet-5-5"], {
      cwd: home,
      env: { ANTHROPIC_API_KEY: "", ANTHROPIC_BASE_URL: "" },
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("ANTHROPIC_API_KEY is not set");
    const stray = await factory(["run", "intents/refunds.md", "--provider", "openai"], {
      cwd: home,
    });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("--provider needs --model");

    // The provider's API is the anthropic twin, playing the example builder's script.
    const script = loadAgentScript(join(home, "agents", "builder.yaml"));
    const served = await createTwin(anthropicTwin, {
      options: { cassette: cassetteFromScript(script) },
    }).serve();
    try {
      const run = await factory(
        ["run", "intents/refunds.md", "--model", "claude-sonnet-5-5", "--json"],
        { cwd: home, env: { ANTHROPIC_API_KEY: "", ANTHROPIC_BASE_URL: served.url } },
      );
      expect(run.code, run.stderr).toBe(3);
      const bolt = JSON.parse(run.stdout).bolt as string;
      const logs = await factory(["logs", bolt, "--node", "build", "--json"], { cwd: home });
      const calls = (
        JSON.parse(logs.stdout).entries as { action: string; data: { model: string } }[]
      ).filter((e) => e.action === "agent.model_call");
      expect(calls.length).toBeGreaterThan(10);
      expect(new Set(calls.map((c) => c.data.model))).toEqual(new Set(["claude-sonnet-5-5"]));
    } finally {
      await served.close();
    }
  }, 120_000);
});

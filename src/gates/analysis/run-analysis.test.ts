import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, grantWorktreeAccess, type Sandbox } from "../../workspace/index.js";
import { runAnalysis } from "./run-analysis.js";

let base = "";
let worktree = "";
let sandbox: Sandbox;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "df-analysis-"));
  await chmod(base, 0o755);
  worktree = join(base, "product");
  await mkdir(worktree);
  await writeFile(join(worktree, "check.js"), 'console.log("checked 3 files"); process.exit(0);\n');
  await grantWorktreeAccess(worktree);
  sandbox = await createSandbox();
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("runAnalysis", () => {
  it("runs each command in the worktree and records which passed", async () => {
    const facts = await runAnalysis(
      worktree,
      {
        typecheck: "node check.js",
        lint: `node -e "console.error('x.ts:1 unused variable'); process.exit(3)"`,
      },
      { sandbox },
    );
    expect(facts.present).toBe(true);
    expect(facts.passed).toBe(false);
    expect(facts.checks).toEqual([
      {
        name: "typecheck",
        command: "node check.js",
        passed: true,
        exit_code: 0,
        output: "checked 3 files\n",
      },
      expect.objectContaining({ name: "lint", passed: false, exit_code: 3 }),
    ]);
    expect(facts.checks[1]?.output).toContain("x.ts:1 unused variable");
  });

  it("passes when every command does", async () => {
    const facts = await runAnalysis(worktree, { typecheck: "node check.js" }, { sandbox });
    expect(facts).toMatchObject({ present: true, passed: true });
  });

  it("keeps only the end of a long output, redacted", async () => {
    const facts = await runAnalysis(
      worktree,
      {
        lint: `node -e "console.log('token=hunter2 ' + 'a'.repeat(5000) + ' END'); process.exit(1)"`,
      },
      { sandbox, outputChars: 100, redact: (text) => text.replaceAll("hunter2", "[redacted]") },
    );
    const output = facts.checks[0]?.output ?? "";
    expect(output).toHaveLength(100);
    expect(output.endsWith(" END\n")).toBe(true);
    const whole = await runAnalysis(
      worktree,
      { lint: `node -e "console.log('token=hunter2')"` },
      { sandbox, redact: (text) => text.replaceAll("hunter2", "[redacted]") },
    );
    expect(whole.checks[0]?.output).toBe("token=[redacted]\n");
  });

  it("does not let the command see the factory's environment", async () => {
    process.env.DF_ANALYSIS_SECRET = "not-for-products";
    try {
      const facts = await runAnalysis(
        worktree,
        { env: `node -e "process.exit(process.env.DF_ANALYSIS_SECRET ? 9 : 0)"` },
        { sandbox },
      );
      expect(facts.checks[0]).toMatchObject({ passed: true, exit_code: 0 });
    } finally {
      delete process.env.DF_ANALYSIS_SECRET;
    }
  });

  it("fails a command that outlives its time", async () => {
    const facts = await runAnalysis(
      worktree,
      { slow: `node -e "setTimeout(() => {}, 60000)"` },
      { sandbox, timeoutMs: 300 },
    );
    expect(facts.passed).toBe(false);
    expect(facts.checks[0]?.output).toContain("[timed out after 300 ms]");
  });

  it("is absent when no commands are configured", async () => {
    expect(await runAnalysis(worktree, {}, { sandbox })).toEqual({
      present: false,
      passed: true,
      checks: [],
    });
  });
});

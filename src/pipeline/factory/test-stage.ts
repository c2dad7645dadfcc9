/**
 * `factory.test`: the product's own test command, in the sandbox, on the integration branch
 * (never on a single task's branch). A failure goes back to the builders as feedback.
 */
import { WorkError } from "../../common/index.js";
import type { Handler } from "../engine/handler.js";
import { boltWorkspace } from "./bolt-workspace.js";
import { ctx, type FactoryDeps, nodeSubject, writeArtifact } from "./factory-deps.js";

const TEST_TIMEOUT_MS = 10 * 60_000;
/** How much of a failing run's output the builders are shown. */
const FEEDBACK_CHARS = 3_000;

export interface TestSummary {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  /** From TAP-style totals (`# tests 6`, `# pass 5`, `# fail 1`) when the runner prints them. */
  tests?: number;
  passed?: number;
  failed?: number;
}

export function createTestHandler(deps: FactoryDeps): Handler {
  return {
    async execute({ boltId, node, stageDir, signal, visit }) {
      const command = deps.home.config.product.commands.test;
      if (!command) {
        return {
          status: "fail",
          failure_reason:
            "factory.yaml has no product.commands.test, so nothing can judge the build",
        };
      }
      const ws = boltWorkspace(deps.home, boltId, deps.env, deps.onProgress);
      const { path } = await ws.ensureIntegration();
      await ws.clean(path);
      try {
        await ws.install(path, await deps.sandbox(), signal);
      } catch (error) {
        if (!(error instanceof WorkError)) throw error;
        // The lock file or manifest is the builders' work: they hear why it would not install.
        await deps.home.audit.append(
          deps.actor,
          "test.install_refused",
          nodeSubject(boltId, node.id),
          {
            code: error.code,
            message: error.message,
          },
        );
        return {
          status: "fail",
          failure_reason: error.message,
          context_updates: {
            [ctx.testPassed]: false,
            [ctx.feedback]: `The factory could not install the product's dependencies on the integration branch: ${error.message}`,
          },
        };
      }
      const result = await (await deps.sandbox()).run({
        command,
        worktree: path,
        timeoutMs: TEST_TIMEOUT_MS,
        signal,
      });
      const output = `${result.stdout}${result.stderr}`;
      writeArtifact(
        stageDir,
        `test-output.visit-${visit}.log`,
        deps.home.redactor.redactText(output),
      );
      const summary: TestSummary = {
        command,
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        ms: result.ms,
        ...tapTotals(output),
      };
      const passed = result.exitCode === 0;
      const commit = await ws.git.revParse(ws.integrationBranch);
      await deps.home.audit.append(deps.actor, "test.run", nodeSubject(boltId, node.id), {
        ...summary,
        commit,
      });
      deps.onProgress?.(`    ${passed ? "✓" : "✗"} ${command}: ${describeTests(summary)}`);
      if (passed) {
        return {
          status: "success",
          notes: describeTests(summary),
          context_updates: {
            [ctx.testPassed]: true,
            [ctx.testSummary]: summary,
            [ctx.testedCommit]: commit,
          },
        };
      }
      const tail = deps.home.redactor.redactText(output).slice(-FEEDBACK_CHARS);
      return {
        status: "fail",
        failure_reason: `\`${command}\` failed on the integration branch: ${describeTests(summary)}`,
        context_updates: {
          [ctx.testPassed]: false,
          [ctx.testSummary]: summary,
          [ctx.feedback]: `The product's tests failed on the integration branch (\`${command}\`, ${describeTests(summary)}). The end of their output:\n${tail}`,
        },
      };
    },
  };
}

function tapTotals(output: string): Pick<TestSummary, "tests" | "passed" | "failed"> {
  const total = (name: string) => {
    const match = output.match(new RegExp(`^[#ℹ] ${name} (\\d+)$`, "m"));
    return match ? Number(match[1]) : undefined;
  };
  const tests = total("tests");
  const passed = total("pass");
  const failed = total("fail");
  return {
    ...(tests !== undefined ? { tests } : {}),
    ...(passed !== undefined ? { passed } : {}),
    ...(failed !== undefined ? { failed } : {}),
  };
}

export function describeTests(summary: TestSummary): string {
  if (summary.timedOut) return `timed out after ${summary.ms} ms`;
  const counts =
    summary.tests !== undefined
      ? `${summary.passed ?? 0}/${summary.tests} passed${summary.failed ? `, ${summary.failed} failed` : ""}`
      : `exit ${summary.exitCode}`;
  return `${counts} in ${summary.ms} ms`;
}

/**
 * `npm run e2e:agents`: real coding agents, run by our cli driver in the bwrap sandbox, their
 * model calls answered by our LLM twins through the sandbox's network bridge. Prints a
 * pass/fail line per check and exits non-zero when any fails or a case cannot run.
 */
import { type CaseResult, runClaudeCase } from "./e2e-agents/run-claude.js";

const cases: { name: string; run: (log: (line: string) => void) => Promise<CaseResult> }[] = [
  { name: "claude", run: runClaudeCase },
];

let failed = 0;
const started = Date.now();
for (const { name, run } of cases) {
  const log = (line: string) => console.log(`[${name}] ${line}`);
  try {
    const result = await run(log);
    for (const note of result.notes) log(`note: ${note}`);
    for (const check of result.checks) {
      log(`${check.ok ? "PASS" : "FAIL"} ${check.name}: ${check.detail}`);
      if (!check.ok) failed++;
    }
    log(
      `${result.checks.every((c) => c.ok) ? "passed" : "FAILED"} in ${(result.ms / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    failed++;
    // The case could not run at all: say why, in one line, rather than a stack.
    log(`FAIL could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  failed === 0
    ? `e2e:agents passed (${cases.length} case${cases.length === 1 ? "" : "s"}, ${seconds} s)`
    : `e2e:agents FAILED: ${failed} check${failed === 1 ? "" : "s"} failed (${seconds} s)`,
);
process.exitCode = failed === 0 ? 0 : 1;

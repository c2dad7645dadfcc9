/**
 * `factory.evaluate`: the evaluator judges the integration branch against the intent from a
 * fresh context (DESIGN §4): the intent, the diff and the measured results, never the
 * builder's conversation nor the scenarios themselves. The changes it asks for go back to the
 * builders as feedback, as a failing test does.
 */
import {
  type Evaluation,
  type EvaluationRequest,
  type EvaluationSatisfaction,
  evaluationSatisfactionSchema,
} from "../../agents/index.js";
import { FactoryError } from "../../common/index.js";
import type { Redactor } from "../../governance/index.js";
import type { Handler } from "../engine/handler.js";
import type { Outcome } from "../engine/outcome.js";
import { type BoltWorkspace, boltWorkspace } from "./bolt-workspace.js";
import { evaluatorFor } from "./drivers.js";
import { ctx, type FactoryDeps, nodeSubject, writeArtifact } from "./factory-deps.js";
import type { TestSummary } from "./test-stage.js";

/** How much of the diff the evaluator reads; a note says when there was more. */
export const DIFF_CHARS = 60_000;
const ACTOR = "agent:evaluator";

export function createEvaluateHandler(deps: FactoryDeps): Handler {
  return {
    async execute({ context, boltId, node, stageDir, signal, visit }) {
      const intent = context.get(ctx.intent) as EvaluationRequest["intent"] | undefined;
      if (!intent) return judged("factory.evaluate needs factory.intake before it");
      const satisfaction = satisfactionOf(context.get(ctx.satisfaction));
      if (!satisfaction.ok) return judged(satisfaction.problem);

      const ws = boltWorkspace(deps.home, boltId, deps.env);
      // What was tested is what will be released; judge that.
      const tested = context.get(ctx.testedCommit);
      const target = typeof tested === "string" && tested ? tested : ws.integrationBranch;
      if (!(await ws.git.revParse(target)))
        return judged(`factory.evaluate needs factory.build before it: there is no ${target}`);
      const diff = await diffOf(
        ws,
        deps.home.config.product.mainBranch,
        target,
        deps.home.redactor,
      );

      const tests = context.get(ctx.testSummary) as TestSummary | undefined;
      const request: EvaluationRequest = {
        boltId,
        intent: {
          id: intent.id,
          title: intent.title,
          goal: intent.goal,
          requirements: intent.requirements.map((r) => ({ id: r.id, statement: r.statement })),
        },
        diff: diff.text,
        ...(tests ? { tests: testsOf(tests) } : {}),
        ...(satisfaction.value ? { satisfaction: satisfaction.value } : {}),
        attempt: visit,
      };

      const subject = nodeSubject(boltId, node.id);
      let evaluator = "(none)";
      let evaluation: Evaluation;
      try {
        const made = evaluatorFor(deps.home, {
          env: deps.env,
          record: async (action, data) => {
            await deps.home.audit.append(ACTOR, `agent.${action}`, subject, {
              attempt: visit,
              ...data,
            });
          },
        });
        evaluator = made.name;
        deps.onProgress?.(`    ⚖ evaluator (${made.name}) at work, attempt ${visit}`);
        evaluation = await made.evaluate(request, signal);
      } catch (error) {
        if (!(error instanceof FactoryError)) throw error;
        const reason = `${error.message}${error.hint ? ` (${error.hint})` : ""}`;
        await deps.home.audit.append(ACTOR, "evaluate.failed", subject, {
          evaluator,
          attempt: visit,
          code: error.code,
          message: error.message,
        });
        deps.onProgress?.(`    ✗ the evaluator could not judge the change: ${error.message}`);
        return judged(`the evaluator could not judge the change: ${reason}`);
      }

      writeArtifact(
        stageDir,
        `evaluation.visit-${visit}.json`,
        `${JSON.stringify(
          deps.home.redactor.redact({
            evaluator,
            attempt: visit,
            ...evaluation,
            judged: {
              target,
              diffChars: diff.chars,
              diffTruncated: diff.truncated,
              tests: tests !== undefined,
              scenarios: satisfaction.value !== undefined,
            },
          }),
          null,
          2,
        )}\n`,
      );
      await deps.home.audit.append(ACTOR, "evaluate.verdict", subject, {
        evaluator,
        attempt: visit,
        verdict: evaluation.verdict,
        findings: evaluation.findings,
        summary: evaluation.summary,
      });

      const open = evaluation.findings.filter((f) => f.verdict !== "met");
      if (evaluation.verdict === "approve") {
        deps.onProgress?.(`    ✓ the evaluator approves: ${evaluation.summary}`);
        return {
          status: "success",
          preferred_label: "approve",
          notes: `approved: ${evaluation.summary}`,
          context_updates: { [ctx.verdict]: "approve" },
        };
      }
      const named = open.length
        ? ` (${open.map((f) => `${f.requirement} ${f.verdict}`).join(", ")})`
        : "";
      deps.onProgress?.(`    ✗ the evaluator requests changes${named}`);
      return {
        status: "fail",
        preferred_label: "request_changes",
        failure_reason: `the evaluator requested changes${named}: ${evaluation.summary}`,
        context_updates: {
          [ctx.verdict]: "request_changes",
          [ctx.feedback]: deps.home.redactor.redactText(feedbackOf(evaluation, visit)),
        },
      };
    },
  };
}

/** A failure that is no verdict: the context says so, so no edge mistakes it for one. */
function judged(reason: string): Outcome {
  return { status: "fail", failure_reason: reason, context_updates: { [ctx.verdict]: "" } };
}

/** What the builders are told: each requirement the evaluator found wanting, and why. */
export function feedbackOf(evaluation: Evaluation, attempt: number): string {
  const lines = evaluation.findings
    .filter((f) => f.verdict !== "met")
    .map(
      (f) => `- ${f.requirement} (${f.verdict === "not_met" ? "not met" : "unclear"}): ${f.reason}`,
    );
  return [
    `The evaluator reviewed the integration branch against the intent (evaluation ${attempt}) and asks for changes: ${evaluation.summary}`,
    ...(lines.length ? ["", "Requirements to address:", ...lines] : []),
  ].join("\n");
}

/**
 * The scenarios' summary as the evaluator may see it: whatever else the context holds there
 * (a scenario's id, steps or inputs) is dropped by the schema, never passed on.
 */
export function satisfactionOf(
  value: unknown,
): { ok: true; value?: EvaluationSatisfaction } | { ok: false; problem: string } {
  if (value === undefined || value === null) return { ok: true };
  const parsed = evaluationSatisfactionSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problem: `the scenarios' summary in the context (${ctx.satisfaction}) is not one: ${parsed.error.issues[0]?.message ?? "invalid"}`,
  };
}

function testsOf(summary: TestSummary): NonNullable<EvaluationRequest["tests"]> {
  return {
    command: summary.command,
    exitCode: summary.exitCode,
    timedOut: summary.timedOut,
    ...(summary.tests !== undefined ? { tests: summary.tests } : {}),
    ...(summary.passed !== undefined ? { passed: summary.passed } : {}),
    ...(summary.failed !== undefined ? { failed: summary.failed } : {}),
  };
}

/**
 * `git diff main...target`: the files changed, then the patch, redacted before it is cut (a
 * secret cut in half would no longer be recognised), and cut at a line with a note.
 */
export async function diffOf(
  ws: BoltWorkspace,
  main: string,
  target: string,
  redactor: Redactor,
  limit = DIFF_CHARS,
): Promise<{ text: string; chars: number; truncated: boolean }> {
  const args = ["--no-color", "--no-ext-diff", "--no-textconv", `${main}...${target}`];
  const stat = await ws.git.run(["diff", "--stat=120", ...args], { allowFail: true });
  const patch = await ws.git.run(["diff", ...args], { allowFail: true });
  if (!patch.stdout.trim()) {
    const why = patch.code === 0 ? "" : `: ${patch.stderr.trim().split("\n").at(-1) ?? ""}`;
    return { text: `(no change on ${main}${why})`, chars: 0, truncated: false };
  }
  const whole = redactor.redactText(`${stat.stdout.trimEnd()}\n\n${patch.stdout}`);
  if (whole.length <= limit) return { text: whole, chars: whole.length, truncated: false };
  const cut = whole.lastIndexOf("\n", limit);
  const kept = whole.slice(0, cut > 0 ? cut : limit);
  return {
    text: `${kept}\n[… the diff is cut here: ${kept.length} of ${whole.length} characters shown; every changed file is listed at the top]`,
    chars: whole.length,
    truncated: true,
  };
}

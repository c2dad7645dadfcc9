/**
 * Budgets and rollout stages are numbers the factory enforces, so each must be in range:
 * a negative budget or a stage that goes backwards is a mistake, not a policy.
 */
import type { Diagnostic, YamlPath } from "../../common/index.js";
import { parseDuration } from "../../common/index.js";
import { MAX_TOKENS, MAX_USD, MAX_WALL_TIME_MS } from "../intent-schema.js";
import { diagnosticAt, type IntentRule, isRecord, type RuleContext } from "./rule-context.js";

const DURATION_HINT = 'write a number and a unit (ms, s, m, h or d), e.g. "90s", "30m", "2h", "1d"';

export const budgetRangeRule: IntentRule = (context) => {
  const out: Diagnostic[] = [];
  const report = (path: YamlPath, message: string, hint: string) =>
    out.push(
      diagnosticAt(context, path, { rule: "budget-range", severity: "error", message, hint }),
    );
  checkBudget(context, report);
  checkStages(context, report);
  return out;
};

type Report = (path: YamlPath, message: string, hint: string) => void;

function checkBudget({ raw }: RuleContext, report: Report): void {
  const budget = raw.budget;
  if (!isRecord(budget)) return;
  const { usd, tokens, wall_time: wallTime } = budget;
  if (usd !== undefined && !(typeof usd === "number" && usd > 0 && usd <= MAX_USD))
    report(
      ["budget", "usd"],
      `budget.usd ${JSON.stringify(usd)} must be a number above 0 and at most ${MAX_USD}`,
      "give the most this intent may spend on agents, in US dollars, e.g. 25",
    );
  if (
    tokens !== undefined &&
    !(typeof tokens === "number" && Number.isInteger(tokens) && tokens > 0 && tokens <= MAX_TOKENS)
  )
    report(
      ["budget", "tokens"],
      `budget.tokens ${JSON.stringify(tokens)} must be a whole number above 0 and at most ${MAX_TOKENS}`,
      "give the most model tokens this intent may use, e.g. 2000000",
    );
  if (wallTime !== undefined) {
    const ms = typeof wallTime === "string" ? parseDuration(wallTime) : undefined;
    if (ms === undefined)
      report(
        ["budget", "wall_time"],
        `budget.wall_time ${JSON.stringify(wallTime)} is not a duration`,
        `${DURATION_HINT}; at most 7d`,
      );
    else if (ms <= 0 || ms > MAX_WALL_TIME_MS)
      report(
        ["budget", "wall_time"],
        `budget.wall_time ${JSON.stringify(wallTime)} must be above 0 and at most 7d`,
        "split the work into smaller intents if it needs more than a week",
      );
  }
}

function checkStages({ raw }: RuleContext, report: Report): void {
  const stages = isRecord(raw.rollout) ? raw.rollout.stages : undefined;
  if (!Array.isArray(stages)) return;
  let previous: { percent: number; name: string } | undefined;
  stages.forEach((stage: unknown, i) => {
    if (!isRecord(stage)) return;
    const { percent, hold } = stage;
    const name = typeof stage.name === "string" ? stage.name : `stage ${i + 1}`;
    if (hold !== undefined && (typeof hold !== "string" || parseDuration(hold) === undefined))
      report(
        ["rollout", "stages", i, "hold"],
        `${name}: hold ${JSON.stringify(hold)} is not a duration`,
        DURATION_HINT,
      );
    if (typeof percent !== "number") return;
    if (percent < 0 || percent > 100) {
      report(
        ["rollout", "stages", i, "percent"],
        `${name}: percent ${percent} is outside 0..100`,
        "give the share of traffic this stage receives, from 0 to 100",
      );
      return;
    }
    if (previous !== undefined && percent <= previous.percent)
      report(
        ["rollout", "stages", i, "percent"],
        `${name}: percent ${percent} does not increase on ${previous.name} (${previous.percent})`,
        "order the stages by rising percent, e.g. 1, 10, 50, 100",
      );
    previous = { percent, name };
  });
}

/** Every intent rule. Each sees the raw front matter; the linter sorts what they find. */
import { budgetRangeRule } from "./budget-range.js";
import { contradictionRule } from "./contradiction.js";
import { coverageRule } from "./coverage.js";
import { duplicateIdRule } from "./duplicate-id.js";
import { noObservableOutcomeRule } from "./no-observable-outcome.js";
import { riskRangeRule } from "./risk-range.js";
import type { IntentRule } from "./rule-context.js";
import { vagueWordRule } from "./vague-word.js";
import { versionRule } from "./version.js";

export type { IntentRule, RuleContext } from "./rule-context.js";

export const intentRules: readonly IntentRule[] = [
  versionRule,
  duplicateIdRule,
  coverageRule,
  riskRangeRule,
  budgetRangeRule,
  vagueWordRule,
  noObservableOutcomeRule,
  contradictionRule,
];

/** Risk picks the approval gates, so a value outside the scale must not pass as "medium". */
import { closestWord } from "../../common/index.js";
import { RISK_LEVELS } from "../intent-schema.js";
import { diagnosticAt, type IntentRule } from "./rule-context.js";

export const riskRangeRule: IntentRule = (context) => {
  const risk = context.raw.risk;
  if (risk === undefined || (RISK_LEVELS as readonly unknown[]).includes(risk)) return [];
  const suggestion = typeof risk === "string" ? closestWord(risk, RISK_LEVELS) : undefined;
  return [
    diagnosticAt(context, ["risk"], {
      rule: "risk-range",
      severity: "error",
      message: `risk ${JSON.stringify(risk)} is not one of ${RISK_LEVELS.join(", ")}`,
      hint: suggestion
        ? `did you mean "${suggestion}"?`
        : `use ${RISK_LEVELS.join(", ")}; "high" asks for the most approvals`,
    }),
  ];
};

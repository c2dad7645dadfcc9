import type { RiskLevel } from "../facts/change-facts.js";

/** Risk levels from lowest to highest. */
export const riskLevels: readonly RiskLevel[] = ["low", "medium", "high"];

/** The higher of two levels; "" (no declared risk) is below every level. */
export function maxRisk(a: "" | RiskLevel, b: RiskLevel): RiskLevel;
export function maxRisk(a: RiskLevel, b: "" | RiskLevel): RiskLevel;
export function maxRisk(a: "" | RiskLevel, b: "" | RiskLevel): "" | RiskLevel;
export function maxRisk(a: "" | RiskLevel, b: "" | RiskLevel): "" | RiskLevel {
  return riskLevels.indexOf(a as RiskLevel) >= riskLevels.indexOf(b as RiskLevel) ? a : b;
}

export {
  defaultRiskThresholds,
  measureRisk,
  type RiskThresholds,
} from "./measure-risk.js";
export { maxRisk, riskLevels } from "./risk-levels.js";

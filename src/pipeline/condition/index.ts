export {
  type ConditionScope,
  evaluateCondition,
  evaluateConditionText,
  resolveKey,
} from "./evaluate-condition.js";
export { type Clause, type ParsedCondition, parseCondition } from "./parse-condition.js";

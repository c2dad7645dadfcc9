/**
 * `condition_syntax` (§7.2): every edge condition parses. `condition_key` (ours, a warning):
 * an unqualified key one typo away from `outcome` or `preferred_label`, which would otherwise
 * be looked up in the context, find nothing and quietly never match.
 */
import { closestWord } from "../../../common/index.js";
import { parseCondition } from "../../condition/index.js";
import { issue, type LintRule, offsetPos, type PipelineDiagnostic } from "../lint-rule.js";

const BUILT_IN_KEYS = ["outcome", "preferred_label"];
const EXAMPLE = "outcome=success && context.tests_passed=true";

export const conditionSyntaxRule: LintRule = {
  name: "condition_syntax",
  apply(graph) {
    const out: PipelineDiagnostic[] = [];
    for (const edge of graph.edges) {
      const text = edge.attrs.condition;
      if (text === undefined) continue;
      const at = (offset: number) => offsetPos(edge, "condition", offset, edge.pos);
      const parsed = parseCondition(text);
      if (!parsed.ok) {
        out.push(
          issue(graph, {
            rule: "condition_syntax",
            severity: "error",
            message: `condition on ${edge.from} -> ${edge.to}: ${parsed.message}`,
            hint: `conditions are key=value or key!=value clauses joined by &&, e.g. ${EXAMPLE}`,
            at: at(parsed.column - 1),
            edge,
          }),
        );
        continue;
      }
      for (const clause of parsed.clauses) {
        if (clause.key.includes(".") || BUILT_IN_KEYS.includes(clause.key)) continue;
        const near = closestWord(clause.key, BUILT_IN_KEYS);
        if (!near) continue;
        out.push(
          issue(graph, {
            rule: "condition_key",
            severity: "warning",
            message: `condition on ${edge.from} -> ${edge.to} reads context key ${clause.key}, not ${near}`,
            hint: `did you mean ${near}? Write context.${clause.key} if you meant the context value`,
            at: at(clause.column - 1),
            edge,
          }),
        );
      }
    }
    return out;
  },
};

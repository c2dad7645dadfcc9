/** `stylesheet_syntax` (§7.2): the graph's `model_stylesheet` parses as stylesheet rules. */
import { parseStylesheet } from "../../stylesheet/index.js";
import { graphPos, issue, type LintRule, offsetPos } from "../lint-rule.js";

export const stylesheetSyntaxRule: LintRule = {
  name: "stylesheet_syntax",
  apply(graph) {
    const text = graph.attrs.model_stylesheet;
    if (text === undefined) return [];
    const parsed = parseStylesheet(text);
    if (parsed.ok) return [];
    return [
      issue(graph, {
        rule: "stylesheet_syntax",
        severity: "error",
        message: `model_stylesheet: ${parsed.message}`,
        hint:
          parsed.hint ??
          "rules are selector { property: value; }, e.g. * { llm_model: claude-sonnet-4-5; }",
        at: offsetPos(graph, "model_stylesheet", parsed.offset, graphPos(graph)),
      }),
    ];
  },
};

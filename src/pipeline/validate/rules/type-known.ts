/**
 * `type_known` (§7.2, warning): every node resolves to a handler type the registry knows,
 * whether from an explicit `type` or from its shape. A shape outside §2.8 is also reported:
 * it falls back to codergen, so a Graphviz `ellipse` quietly becomes an LLM stage.
 */
import { closestWord } from "../../../common/index.js";
import { nodeType, type PipelineNode, shapeToType } from "../../graph.js";
import { issue, type LintRule, type PipelineDiagnostic, valuePos } from "../lint-rule.js";

/** The handler types of §2.8, the default for `knownTypes`. */
export const SPEC_HANDLER_TYPES: ReadonlySet<string> = new Set(Object.values(shapeToType));

/** Reported by `manager_loop_unsupported` instead. */
const SKIPPED = "stack.manager_loop";

export function typeKnownRule(knownTypes: ReadonlySet<string> = SPEC_HANDLER_TYPES): LintRule {
  return {
    name: "type_known",
    apply(graph) {
      const out: PipelineDiagnostic[] = [];
      const report = (node: PipelineNode, key: string, message: string, hint: string) =>
        out.push(
          issue(graph, {
            rule: "type_known",
            severity: "warning",
            message,
            hint,
            at: valuePos(node, key, node.pos),
            node,
          }),
        );
      for (const node of graph.nodes.values()) {
        const shape = node.attrs.shape;
        if (!node.attrs.type && shape !== undefined && !Object.hasOwn(shapeToType, shape)) {
          const near = closestWord(shape, Object.keys(shapeToType));
          report(
            node,
            "shape",
            `node ${node.id} has shape ${shape}, which maps to no handler; it runs as codergen`,
            near
              ? `did you mean shape=${near}?`
              : `use shape=box for an LLM stage, or one of ${Object.keys(shapeToType).join(", ")}`,
          );
          continue;
        }
        const type = nodeType(node);
        if (type === SKIPPED || knownTypes.has(type)) continue;
        const near = closestWord(type, knownTypes);
        report(
          node,
          node.attrs.type ? "type" : "shape",
          `node ${node.id} has type ${type}, which no handler is registered for`,
          near
            ? `did you mean type="${near}"?`
            : `register a handler for ${type}, or use one of ${[...knownTypes].join(", ")}`,
        );
      }
      return out;
    },
  };
}

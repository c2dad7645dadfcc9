/** Applies stylesheet rules to nodes (§8.5): the most specific rule wins, the node's own value wins over all. */
import type { PipelineGraph, PipelineNode } from "../graph.js";
import { type Selector, STYLESHEET_PROPERTIES, type StyleRule } from "./parse-stylesheet.js";

export function selectorMatches(selector: Selector, node: PipelineNode): boolean {
  switch (selector.kind) {
    case "universal":
      return true;
    case "shape":
      return (node.attrs.shape ?? "box") === selector.name;
    case "class":
      return node.classes.includes(selector.name);
    case "id":
      return node.id === selector.name;
  }
}

/**
 * Sets each stylesheet property a node does not already have. A value from a `node [...]`
 * default block counts as the node's own: it was written for those nodes specifically.
 */
export function applyStylesheet(graph: PipelineGraph, rules: readonly StyleRule[]): void {
  const ranked = [...rules].sort((a, b) => a.specificity - b.specificity || a.order - b.order);
  for (const node of graph.nodes.values()) {
    const chosen = new Map<string, string>();
    for (const rule of ranked) {
      if (!selectorMatches(rule.selector, node)) continue;
      for (const { property, value } of rule.declarations) chosen.set(property, value);
    }
    for (const property of STYLESHEET_PROPERTIES) {
      const value = chosen.get(property);
      if (value !== undefined && node.attrs[property] === undefined) node.attrs[property] = value;
    }
  }
}

/**
 * `start_node`, `terminal_node`, `start_no_incoming`, `exit_no_outgoing` (§7.2): exactly one
 * entry with nothing leading into it, exactly one exit with nothing leaving it.
 */
import {
  incomingEdges,
  isExitNode,
  isStartNode,
  outgoingEdges,
  type PipelineGraph,
  type PipelineNode,
} from "../../graph.js";
import { graphPos, issue, type LintRule, type PipelineDiagnostic } from "../lint-rule.js";

interface End {
  rule: "start_node" | "terminal_node";
  word: string;
  shape: string;
  is: (node: PipelineNode) => boolean;
  example: string;
}

const START: End = {
  rule: "start_node",
  word: "start",
  shape: "Mdiamond",
  is: isStartNode,
  example: "start [shape=Mdiamond] and an edge start -> first_stage",
};
const EXIT: End = {
  rule: "terminal_node",
  word: "exit",
  shape: "Msquare",
  is: isExitNode,
  example: "exit [shape=Msquare] and an edge last_stage -> exit",
};

function exactlyOne(graph: PipelineGraph, end: End): PipelineDiagnostic[] {
  const found = [...graph.nodes.values()].filter(end.is);
  const [first, ...extra] = found;
  if (!first)
    return [
      issue(graph, {
        rule: end.rule,
        severity: "error",
        message: `the pipeline has no ${end.word} node`,
        hint: `add ${end.example}`,
        at: graphPos(graph),
      }),
    ];
  return extra.map((node) =>
    issue(graph, {
      rule: end.rule,
      severity: "error",
      message: `${node.id} is a second ${end.word} node (the first is ${first.id} at line ${first.pos.line})`,
      hint: `keep one node with shape=${end.shape}; give the others another shape or rename them`,
      at: node.attrPos.shape ?? node.pos,
      node,
    }),
  );
}

export const startNodeRule: LintRule = {
  name: "start_node",
  apply: (graph) => exactlyOne(graph, START),
};

export const terminalNodeRule: LintRule = {
  name: "terminal_node",
  apply: (graph) => exactlyOne(graph, EXIT),
};

export const startNoIncomingRule: LintRule = {
  name: "start_no_incoming",
  apply: (graph) =>
    [...graph.nodes.values()].filter(isStartNode).flatMap((start) =>
      incomingEdges(graph, start.id).map((edge) =>
        issue(graph, {
          rule: "start_no_incoming",
          severity: "error",
          message: `edge ${edge.from} -> ${edge.to} leads into the start node`,
          hint: `point it at the first stage after ${start.id} instead`,
          at: edge.pos,
          edge,
        }),
      ),
    ),
};

export const exitNoOutgoingRule: LintRule = {
  name: "exit_no_outgoing",
  apply: (graph) =>
    [...graph.nodes.values()].filter(isExitNode).flatMap((exit) =>
      outgoingEdges(graph, exit.id).map((edge) =>
        issue(graph, {
          rule: "exit_no_outgoing",
          severity: "error",
          message: `edge ${edge.from} -> ${edge.to} leaves the exit node`,
          hint: `the run ends at ${exit.id}; start this edge from a stage before it`,
          at: edge.pos,
          edge,
        }),
      ),
    ),
};

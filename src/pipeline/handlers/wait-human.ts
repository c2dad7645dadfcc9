/** Human gates (§4.6): the choices are the outgoing edges; the chosen edge is where the run goes. */

import { acceleratorKey, normalizeLabel } from "../engine/edge-selection.js";
import type { Handler } from "../engine/handler.js";
import { type Answer, type Question, SKIPPED, TIMEOUT } from "../engine/outcome.js";
import { outgoingEdges } from "../graph.js";
import type { Interviewer } from "./interviewers.js";

export function createWaitHumanHandler(options: { interviewer?: Interviewer } = {}): Handler {
  return {
    async execute({ node, graph, answer: stored }) {
      const choices = outgoingEdges(graph, node.id).map((edge) => {
        const label = edge.attrs.label || edge.to;
        return { key: acceleratorKey(label), label, to: edge.to };
      });
      if (choices.length === 0)
        return { status: "fail", failure_reason: "No outgoing edges for human gate" };
      const question: Question = {
        text: node.attrs.label || "Select an option:",
        type: "multiple_choice",
        options: choices.map(({ key, label }) => ({ key, label })),
        stage: node.id,
      };
      const answer: Answer | undefined = stored ?? (await options.interviewer?.ask(question));
      if (answer === undefined) return { waiting: true, question };

      let value = answer.value;
      if (value === TIMEOUT) {
        const fallback = node.attrs["human.default_choice"];
        if (!fallback) return { status: "retry", failure_reason: "human gate timeout, no default" };
        value = fallback;
      }
      if (value === SKIPPED)
        return {
          status: "fail",
          failure_reason: `rejected at ${node.id}${answer.text ? `: ${answer.text}` : ""}`,
        };
      const wanted = normalizeLabel(value);
      const selected =
        choices.find((c) => c.key.toLowerCase() === value.toLowerCase()) ??
        choices.find((c) => normalizeLabel(c.label) === wanted) ??
        choices.find((c) => c.to === value) ??
        choices[0];
      if (!selected) return { status: "fail", failure_reason: "No outgoing edges for human gate" };
      return {
        status: "success",
        preferred_label: selected.label,
        suggested_next_ids: [selected.to],
        context_updates: {
          "human.gate.selected": selected.key,
          "human.gate.label": selected.label,
        },
        notes: `${answer.answered_by ?? "a person"} chose "${selected.label}"`,
      };
    },
  };
}

/**
 * The attributes each kind of owner may carry: the spec's Appendix A, the handler attributes
 * of §4, ours, and the Graphviz drawing attributes people keep so the file still renders.
 */
import type { OwnerKind } from "./owners.js";

const SPEC: Readonly<Record<OwnerKind, readonly string[]>> = {
  graph: [
    "goal",
    "label",
    "model_stylesheet",
    "default_max_retries",
    "default_max_retry",
    "default_fidelity",
    "retry_target",
    "fallback_retry_target",
    "stack.child_dotfile",
    "stack.child_workdir",
    "tool_hooks.pre",
    "tool_hooks.post",
  ],
  node: [
    "label",
    "shape",
    "type",
    "prompt",
    "max_retries",
    "goal_gate",
    "retry_target",
    "fallback_retry_target",
    "fidelity",
    "thread_id",
    "class",
    "timeout",
    "llm_model",
    "llm_provider",
    "reasoning_effort",
    "auto_status",
    "allow_partial",
    // §4.6-4.11
    "human.default_choice",
    "join_policy",
    "max_parallel",
    "tool_command",
    "manager.poll_interval",
    "manager.max_cycles",
    "manager.stop_condition",
    "manager.actions",
    "stack.child_autostart",
  ],
  edge: ["label", "condition", "weight", "fidelity", "thread_id", "loop_restart"],
};

const OURS: Readonly<Record<OwnerKind, readonly string[]>> = {
  graph: [],
  node: ["max_visits", "side_effect", "retry_policy"],
  edge: [],
};

const DRAWING_ANY = ["style", "color", "fontname", "fontsize", "fontcolor", "tooltip", "penwidth"];
const DRAWING: Readonly<Record<OwnerKind, readonly string[]>> = {
  graph: [
    ...DRAWING_ANY,
    "rankdir",
    "bgcolor",
    "splines",
    "nodesep",
    "ranksep",
    "size",
    "ratio",
    "compound",
    "concentrate",
    "newrank",
    "pad",
    "margin",
    "dpi",
    "labelloc",
    "labeljust",
    "ordering",
    "center",
    "comment",
  ],
  node: [
    ...DRAWING_ANY,
    "fillcolor",
    "width",
    "height",
    "fixedsize",
    "peripheries",
    "margin",
    "group",
    "xlabel",
    "comment",
  ],
  edge: [
    ...DRAWING_ANY,
    "arrowhead",
    "arrowtail",
    "arrowsize",
    "dir",
    "constraint",
    "minlen",
    "xlabel",
    "headlabel",
    "taillabel",
    "lhead",
    "ltail",
    "comment",
  ],
};

/** Prefix reserved for darkfactory's own attributes on any owner. */
export const FACTORY_PREFIX = "factory.";

export const KNOWN_ATTRIBUTES: Readonly<Record<OwnerKind, ReadonlySet<string>>> = {
  graph: new Set([...SPEC.graph, ...OURS.graph, ...DRAWING.graph]),
  node: new Set([...SPEC.node, ...OURS.node, ...DRAWING.node]),
  edge: new Set([...SPEC.edge, ...OURS.edge, ...DRAWING.edge]),
};

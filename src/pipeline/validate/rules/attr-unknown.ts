/**
 * `attr_unknown` (ours, warning): an attribute no part of the factory reads. Engines drop
 * unknown attributes silently, so `max_retry=3` or `promt="..."` would simply not happen.
 */
import { closestWord } from "../../../common/index.js";
import { nodeType } from "../../graph.js";
import { issue, keyPos, type LintRule, type PipelineDiagnostic } from "../lint-rule.js";
import { FACTORY_PREFIX, KNOWN_ATTRIBUTES } from "./known-attributes.js";
import { attrOwners, type OwnerKind, subjectOf } from "./owners.js";
import { SPEC_HANDLER_TYPES } from "./type-known.js";

const KINDS: readonly OwnerKind[] = ["graph", "node", "edge"];
const owner = (kind: OwnerKind) => ({ graph: "the graph", node: "a node", edge: "an edge" })[kind];

export const attrUnknownRule: LintRule = {
  name: "attr_unknown",
  apply(graph) {
    const out: PipelineDiagnostic[] = [];
    const seen = new Set<string>();
    for (const subject of attrOwners(graph)) {
      // A custom handler reads attributes of its own (§4.12): they are not ours to judge.
      if (subject.node && !SPEC_HANDLER_TYPES.has(nodeType(subject.node))) continue;
      const known = KNOWN_ATTRIBUTES[subject.kind];
      for (const key of Object.keys(subject.owner.attrs)) {
        if (known.has(key) || key.startsWith(FACTORY_PREFIX)) continue;
        const at = keyPos(subject.owner, key, subject.pos);
        const place = `${key}@${at.line}:${at.column}`;
        if (seen.has(place)) continue;
        seen.add(place);
        const near = closestWord(key, known);
        const elsewhere = KINDS.find(
          (kind) => kind !== subject.kind && KNOWN_ATTRIBUTES[kind].has(key),
        );
        out.push(
          issue(graph, {
            rule: "attr_unknown",
            severity: "warning",
            message: `${subject.where} has attribute ${key}, which nothing reads`,
            hint: elsewhere
              ? `${key} is an attribute of ${owner(elsewhere)}, not of ${owner(subject.kind)}`
              : near
                ? `did you mean ${near}?`
                : `remove it, or prefix it with ${FACTORY_PREFIX} if a custom handler reads it`,
            at,
            ...subjectOf(subject),
          }),
        );
      }
    }
    return out;
  },
};

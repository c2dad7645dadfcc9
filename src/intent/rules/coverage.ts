/**
 * Acceptance criteria are how a bolt proves a requirement: every requirement needs one,
 * and every criterion must point at a requirement that exists.
 */
import { closestWord, type Diagnostic, editDistance } from "../../common/index.js";
import { diagnosticAt, type IntentRule, rawItems, STATEMENT_LISTS } from "./rule-context.js";

export const coverageRule: IntentRule = (context) => {
  const out: Diagnostic[] = [];
  const requirements = rawItems(context.raw, "requirements");
  const requirementIds = new Set(requirements.flatMap((r) => (r.id === undefined ? [] : [r.id])));
  const otherLists = new Map<string, string>();
  for (const list of STATEMENT_LISTS.filter((l) => l !== "requirements"))
    for (const item of rawItems(context.raw, list))
      if (item.id !== undefined) otherLists.set(item.id, list);

  const covered = new Set<string>();
  for (const criterion of rawItems(context.raw, "acceptance")) {
    const covers = criterion.value.covers;
    if (!Array.isArray(covers)) continue;
    covers.forEach((id: unknown, j) => {
      if (typeof id !== "string") return;
      covered.add(id);
      if (requirementIds.has(id)) return;
      const elsewhere = otherLists.get(id);
      const suggestion = likelyTypo(id, requirementIds);
      out.push(
        diagnosticAt(context, ["acceptance", criterion.index, "covers", j], {
          rule: "unknown-requirement",
          severity: "error",
          message: elsewhere
            ? `${criterion.id ?? "this criterion"} covers "${id}", which is in ${elsewhere}, not a requirement`
            : `${criterion.id ?? "this criterion"} covers "${id}", which is not a requirement`,
          hint: suggestion
            ? `did you mean "${suggestion}"?`
            : `cover one of ${[...requirementIds].join(", ") || "(no requirements yet)"}, or add requirement ${id}`,
        }),
      );
    });
  }

  for (const requirement of requirements) {
    if (requirement.id === undefined || covered.has(requirement.id)) continue;
    out.push(
      diagnosticAt(context, ["requirements", requirement.index, "id"], {
        rule: "requirement-without-acceptance",
        severity: "error",
        message: `no acceptance criterion covers ${requirement.id}`,
        hint: `add an acceptance criterion with "covers: [${requirement.id}]" and a Given/When/Then that checks it`,
      }),
    );
  }
  return out;
};

/** The closest id, but only when no other id is as close: REQ-4 is as near REQ-1 as REQ-3. */
function likelyTypo(id: string, ids: ReadonlySet<string>): string | undefined {
  const best = closestWord(id, ids);
  if (best === undefined) return undefined;
  const distance = editDistance(id.toLowerCase(), best.toLowerCase());
  const ties = [...ids].filter(
    (other) => editDistance(id.toLowerCase(), other.toLowerCase()) === distance,
  );
  return ties.length === 1 ? best : undefined;
}

/** Ids are how acceptance criteria, plans and reports refer to an item, so each must name one. */
import type { Diagnostic } from "../../common/index.js";
import { diagnosticAt, type IntentRule, rawItems, STATEMENT_LISTS } from "./rule-context.js";

export const duplicateIdRule: IntentRule = (context) => {
  const out: Diagnostic[] = [];
  const items = [...STATEMENT_LISTS, "acceptance" as const].flatMap((list) =>
    rawItems(context.raw, list),
  );
  const used = new Set(items.flatMap((item) => (item.id === undefined ? [] : [item.id])));
  const first = new Map<string, { list: string; line: number }>();
  for (const { list, index, id } of items) {
    if (id === undefined) continue;
    const path = [list, index, "id"];
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, { list, line: context.source.locate(path).line });
      continue;
    }
    out.push(
      diagnosticAt(context, path, {
        rule: "duplicate-id",
        severity: "error",
        message: `id "${id}" is already used in ${earlier.list} on line ${earlier.line}`,
        hint: `give this one a new id, e.g. "${nextFree(id, used)}"`,
      }),
    );
  }
  return out;
};

/** The id with its trailing number raised until it is unused: REQ-2 → REQ-4. */
function nextFree(id: string, used: ReadonlySet<string>): string {
  const match = /^(.*?)(\d+)$/.exec(id);
  const stem = match?.[1] ?? `${id}-`;
  let n = Number(match?.[2] ?? 1);
  while (used.has(`${stem}${n}`)) n++;
  return `${stem}${n}`;
}

/**
 * What every intent rule sees: the front matter as written (not as the schema would
 * have it), so a schema problem in one field does not hide rule problems in another.
 */
import type { Diagnostic, LocatedYaml, YamlPath } from "../../common/index.js";
import { formatPath } from "../../common/index.js";

export interface RuleContext {
  file: string;
  source: LocatedYaml;
  /** Every line of the file, for finding a word inside a multi-line scalar. */
  lines: readonly string[];
  /** The front matter as written; never trust its shape. */
  raw: Record<string, unknown>;
}

export type IntentRule = (context: RuleContext) => Diagnostic[];

export const STATEMENT_LISTS = ["requirements", "constraints", "edge_cases", "security"] as const;
export type ItemList = (typeof STATEMENT_LISTS)[number] | "acceptance";

export interface RawItem {
  list: ItemList;
  index: number;
  /** The id when it is a string. */
  id: string | undefined;
  value: Record<string, unknown>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object items of one list, skipping whatever is not an object. */
export function rawItems(raw: Record<string, unknown>, list: ItemList): RawItem[] {
  const items = raw[list];
  if (!Array.isArray(items)) return [];
  const out: RawItem[] = [];
  items.forEach((value: unknown, index) => {
    if (!isRecord(value)) return;
    out.push({ list, index, id: typeof value.id === "string" ? value.id : undefined, value });
  });
  return out;
}

export interface RawText {
  path: YamlPath;
  text: string;
}

/** The goal, every statement and every criterion: the prose a builder must act on. */
export function rawTexts(raw: Record<string, unknown>): RawText[] {
  const out: RawText[] = [];
  if (typeof raw.goal === "string") out.push({ path: ["goal"], text: raw.goal });
  for (const list of [...STATEMENT_LISTS, "acceptance"] as const) {
    const field = list === "acceptance" ? "criterion" : "statement";
    for (const item of rawItems(raw, list)) {
      const text = item.value[field];
      if (typeof text === "string") out.push({ path: [list, item.index, field], text });
    }
  }
  return out;
}

/** A diagnostic for the value at `path`, located in the file. */
export function diagnosticAt(
  context: RuleContext,
  path: YamlPath,
  fields: Pick<Diagnostic, "rule" | "severity" | "message" | "hint">,
  options: { key?: boolean } = {},
): Diagnostic {
  return {
    ...fields,
    file: context.file,
    ...context.source.locate(path, options),
    path: formatPath(path),
  };
}

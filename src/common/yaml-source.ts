/**
 * YAML documents that remember where every value came from, so that schema and rule
 * problems can be reported at the file, line and column a person wrote them.
 */
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from "yaml";
import type { z } from "zod";
import { closestWord } from "./closest-word.js";
import type { Diagnostic } from "./diagnostic.js";

export type YamlPath = readonly (string | number)[];

export interface LocatedYaml {
  file: string;
  /** The plain JavaScript value, or undefined when the text does not parse. */
  value: unknown;
  /** Syntax errors, already located. */
  syntaxIssues: Diagnostic[];
  /** Where the value (or, with `key`, the key) at `path` starts; the nearest existing parent when it is absent. */
  locate(path: YamlPath, options?: { key?: boolean }): { line: number; column: number };
}

/**
 * @param lineOffset lines before the YAML text in its file (front matter starts after `---`).
 */
export function parseLocatedYaml(text: string, file: string, lineOffset = 0): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line + lineOffset, column: pos.col };
  };
  const syntaxIssues: Diagnostic[] = doc.errors.map((error) => ({
    rule: "yaml-syntax",
    severity: "error",
    message: error.message.split("\n")[0] ?? error.message,
    file,
    ...at(error.pos[0]),
    hint:
      error.code === "DUPLICATE_KEY"
        ? "remove or rename the repeated key"
        : "fix the YAML syntax at this place",
  }));
  let value: unknown;
  if (syntaxIssues.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // An alias to no anchor, or one expanded too often (an alias bomb), only shows up here.
      const message = (error as Error).message.split("\n")[0] ?? "the YAML cannot be read";
      const alias = /: (\S+)$/.exec(message)?.[1];
      const lines = text.split("\n");
      const index = alias === undefined ? -1 : lines.findIndex((l) => l.includes(`*${alias}`));
      syntaxIssues.push({
        rule: "yaml-syntax",
        severity: "error",
        message,
        file,
        line: Math.max(index, 0) + 1 + lineOffset,
        column: index === -1 ? 1 : (lines[index] ?? "").indexOf(`*${alias}`) + 1,
        hint: "define each anchor (&name) before its aliases (*name), and use few aliases",
      });
    }
  }
  return {
    file,
    value,
    syntaxIssues,
    locate: (path, options = {}) => at(offsetOf(doc, path, options.key ?? false)),
  };
}

function offsetOf(doc: Document, path: YamlPath, key: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return offset;
      const target = last && key ? pair.key : (pair.value ?? pair.key);
      offset = rangeStart(target) ?? rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) return offset;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** The path as people write it in messages: `requirements.2.statement`. */
export function formatPath(path: YamlPath): string {
  return path.length === 0 ? "(top level)" : path.join(".");
}

/**
 * Turn zod issues into located diagnostics, with a hint for the common mistakes
 * (a misspelt key, a missing field, a value outside its enum).
 */
export function zodIssuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  source: LocatedYaml,
  schema: z.ZodType,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const known = shapeKeysAt(schema, path);
      for (const key of issue.keys) {
        const suggestion = closestWord(key, known);
        out.push({
          rule: "schema",
          severity: "error",
          message: `unknown field "${key}"${path.length ? ` in ${formatPath(path)}` : ""}`,
          file: source.file,
          ...source.locate([...path, key], { key: true }),
          path: formatPath([...path, key]),
          hint: suggestion
            ? `did you mean "${suggestion}"?`
            : `remove it; allowed here: ${known.join(", ") || "none"}`,
        });
      }
      continue;
    }
    // Decided from the document, since zod reports the input only when asked to.
    const missing = issue.code === "invalid_type" && valueAt(source.value, path) === undefined;
    out.push({
      rule: "schema",
      severity: "error",
      message: missing
        ? `missing required field "${formatPath(path)}"`
        : `${formatPath(path)}: ${issue.message}`,
      file: source.file,
      ...source.locate(path),
      path: formatPath(path),
      hint: hintFor(issue, missing),
    });
  }
  return out;
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function hintFor(issue: z.core.$ZodIssue, missing: boolean): string {
  if (missing)
    return `add "${String(issue.path.at(-1))}" (${issue.code === "invalid_type" ? issue.expected : "a value"})`;
  if (issue.code === "invalid_value")
    return `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (issue.code === "invalid_type") return `expected ${issue.expected}`;
  if (issue.code === "too_small" || issue.code === "too_big") return issue.message;
  return "see the schema in the README";
}

interface ZodDefLike {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  in?: unknown;
  valueType?: unknown;
}

function defOf(schema: unknown): ZodDefLike | undefined {
  return (schema as { _zod?: { def?: ZodDefLike } } | undefined)?._zod?.def;
}

/** The keys an object schema allows at `path`, looking through optional, default, array and pipe wrappers. */
export function shapeKeysAt(schema: unknown, path: YamlPath): string[] {
  let current = schema;
  const unwrap = () => {
    for (let def = defOf(current); def; def = defOf(current)) {
      if (def.innerType !== undefined) current = def.innerType;
      else if (def.type === "pipe" && def.in !== undefined) current = def.in;
      else return def;
    }
    return undefined;
  };
  for (const segment of path) {
    const def = unwrap();
    if (def?.type === "object" && def.shape && typeof segment === "string")
      current = def.shape[segment];
    else if (def?.type === "array" && typeof segment === "number") current = def.element;
    else if (def?.type === "record") current = def.valueType;
    else return [];
  }
  const def = unwrap();
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

/**
 * Where a match inside a YAML string value sits in the file. The parsed value has lost
 * quotes, escapes and block indentation, so the match is found again in the raw lines
 * of the scalar, the k-th match in the value being the k-th match in the raw text.
 */
import type { YamlPath } from "../../common/index.js";
import type { RuleContext } from "./rule-context.js";

export interface ScalarHit {
  /** The text matched in the value. */
  text: string;
  line: number;
  column: number;
}

interface Segment {
  /** Offset of the segment in the joined region. */
  offset: number;
  line: number;
  /** 0-based column in the file line where the segment starts. */
  column: number;
}

/**
 * @param pattern a global regex; write spaces between words as `\s+` so that matches
 * folded over two lines of a plain or `>` scalar are found too.
 */
export function findInScalar(
  context: RuleContext,
  path: YamlPath,
  value: string,
  pattern: RegExp,
): ScalarHit[] {
  const inValue = [...value.matchAll(pattern)];
  if (inValue.length === 0) return [];
  const start = context.source.locate(path);
  const { region, segments } = scalarRegion(context, path, start);
  const inRaw = [...region.matchAll(pattern)];
  return inValue.map((match, k) => {
    const raw = inRaw[k];
    if (raw === undefined) return { text: match[0], ...start };
    const offset = raw.index;
    const segment = segments.findLast((s) => s.offset <= offset) ?? segments[0];
    if (segment === undefined) return { text: match[0], ...start };
    return {
      text: match[0],
      line: segment.line,
      column: segment.column + (offset - segment.offset) + 1,
    };
  });
}

function scalarRegion(
  context: RuleContext,
  path: YamlPath,
  start: { line: number; column: number },
): { region: string; segments: Segment[] } {
  const { lines } = context;
  // Continuation lines of a scalar are indented deeper than the key that owns it.
  const keyIndent = context.source.locate(path, { key: true }).column - 1;
  const first = lines[start.line - 1] ?? "";
  const isBlock = first[start.column - 1] === "|" || first[start.column - 1] === ">";
  const parts: { line: number; column: number; text: string }[] = isBlock
    ? []
    : [{ line: start.line, column: start.column - 1, text: first.slice(start.column - 1) }];
  for (let i = start.line; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const indent = line.length - line.trimStart().length;
    if (line.trim() !== "" && indent <= keyIndent) break;
    parts.push({ line: i + 1, column: 0, text: line });
  }
  const segments: Segment[] = [];
  let region = "";
  for (const part of parts) {
    if (segments.length > 0) region += "\n";
    segments.push({ offset: region.length, line: part.line, column: part.column });
    region += part.text;
  }
  return { region, segments };
}

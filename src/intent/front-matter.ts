/** Splits an intent file into its YAML front matter and its Markdown body. */
import type { Diagnostic } from "../common/index.js";

export type FrontMatter =
  | {
      ok: true;
      yaml: string;
      /** Lines of the file before the YAML (the opening `---`), for locating. */
      lineOffset: number;
      body: string;
      /** Every line of the file, to find words inside multi-line scalars. */
      lines: string[];
    }
  | { ok: false; issue: Diagnostic };

const FENCE = /^---[ \t]*$/;

export function splitFrontMatter(text: string, file: string): FrontMatter {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const fail = (message: string, hint: string): FrontMatter => ({
    ok: false,
    issue: { rule: "front-matter", severity: "error", message, file, line: 1, column: 1, hint },
  });
  if (!FENCE.test(lines[0] ?? "")) {
    return fail(
      "an intent must start with YAML front matter between `---` lines",
      "put `---` on the first line, the fields (version, id, title, goal, requirements, acceptance) after it, then `---` and the prose",
    );
  }
  const end = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (end === -1) {
    return fail(
      "the front matter opened on line 1 is never closed",
      "add a line with only `---` after the last front-matter field",
    );
  }
  return {
    ok: true,
    yaml: lines.slice(1, end).join("\n"),
    lineOffset: 1,
    body: lines
      .slice(end + 1)
      .join("\n")
      .trim(),
    lines,
  };
}

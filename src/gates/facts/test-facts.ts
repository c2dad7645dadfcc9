/** Whether a change weakens the product's tests: deleted, skipped, focused, fewer or looser assertions. */
import type { FileStatus, Finding, TestFacts } from "./change-facts.js";
import { lineDiff, splitLines } from "./line-diff.js";
import {
  ASSERTION_PATTERNS,
  codeLines,
  countMatches,
  FOCUS_PATTERNS,
  isTestPath,
  LOOSE_MATCHERS,
  matchesAny,
  SKIP_PATTERNS,
  STRICT_MATCHERS,
} from "./test-patterns.js";

export interface TestFileChange {
  path: string;
  /** For a rename, the old path. */
  from?: string;
  /** Inferred from which sides have text when absent; give it when contents were not read. */
  status?: FileStatus;
  /** The text before the change; undefined when the file did not exist (or was not read). */
  before: string | undefined;
  after: string | undefined;
}

/** Test facts of a change that touches no test. */
export function noTestFacts(): TestFacts {
  return {
    files_changed: [],
    files_deleted: [],
    skipped: [],
    focused: [],
    assertions_removed: [],
    loosened: [],
    weakened: false,
  };
}

/**
 * The test facts of a change, from each changed file's text on both sides. Only test files
 * count (by default `*.test.*`, `*.spec.*`, `test/`, `tests/`, `__tests__/`); a test file
 * renamed to a path that is not a test file counts as deleted. Pure.
 */
export function testFacts(
  files: readonly TestFileChange[],
  isTestFile: (path: string) => boolean = isTestPath,
): TestFacts {
  const facts = noTestFacts();
  for (const file of files) {
    const oldPath = file.from || file.path;
    const status = file.status ?? inferStatus(file);
    const wasTest = status !== "added" && isTestFile(oldPath);
    const isTest = status !== "deleted" && isTestFile(file.path);
    if (!wasTest && !isTest) continue;
    facts.files_changed.push(isTest ? file.path : oldPath);
    if (!isTest) {
      facts.files_deleted.push(oldPath);
      continue;
    }
    if (file.after === undefined) continue;
    inspect(file.path, file.before, file.after, facts);
  }
  facts.weakened =
    facts.files_deleted.length > 0 ||
    facts.skipped.length > 0 ||
    facts.focused.length > 0 ||
    facts.assertions_removed.length > 0 ||
    facts.loosened.length > 0;
  return facts;
}

function inferStatus(file: TestFileChange): FileStatus {
  if (file.before === undefined && file.after !== undefined) return "added";
  if (file.before !== undefined && file.after === undefined) return "deleted";
  return file.from ? "renamed" : "modified";
}

function inspect(path: string, before: string | undefined, after: string, facts: TestFacts): void {
  const beforeCode = codeLines(splitLines(before));
  const afterCode = codeLines(splitLines(after));
  const diff = lineDiff(before, after);
  const addedCode = diff.added.map((l) => ({ line: l.line, code: afterCode[l.line - 1] ?? "" }));

  const added = (patterns: RegExp[], what: string): Finding[] =>
    countMatches(afterCode, patterns) > countMatches(beforeCode, patterns)
      ? addedCode
          .filter((l) => matchesAny(l.code, patterns))
          .map((l) => ({
            file: path,
            line: l.line,
            message: `${what}: ${keyword(l.code, patterns)}`,
          }))
      : [];
  facts.skipped.push(...added(SKIP_PATTERNS, "a test is skipped"));
  facts.focused.push(...added(FOCUS_PATTERNS, "a test is focused, so the rest do not run"));

  if (before !== undefined) {
    const was = countMatches(beforeCode, ASSERTION_PATTERNS);
    const now = countMatches(afterCode, ASSERTION_PATTERNS);
    if (now < was) {
      const n = was - now;
      facts.assertions_removed.push({
        file: path,
        line: 0,
        message: `${n} assertion${n === 1 ? "" : "s"} removed (${was} → ${now})`,
      });
    }
  }

  const strictRemoved = diff.removed.some((l) =>
    matchesAny(beforeCode[l.line - 1] ?? "", STRICT_MATCHERS),
  );
  if (strictRemoved) {
    for (const l of addedCode.filter((a) => matchesAny(a.code, LOOSE_MATCHERS))) {
      facts.loosened.push({
        file: path,
        line: l.line,
        message: `a strict matcher was replaced by a loose one: ${keyword(l.code, LOOSE_MATCHERS)}`,
      });
    }
  }
}

/** The matched words, trimmed: enough to show what was found, no more of the line than that. */
function keyword(code: string, patterns: readonly RegExp[]): string {
  for (const pattern of patterns) {
    const match = new RegExp(pattern.source).exec(code);
    if (match) {
      const text = match[0].replace(/\s+/g, "").replace(/^[.{,]/, "");
      return text.length > 40 ? `${text.slice(0, 40)}…` : text;
    }
  }
  return "";
}

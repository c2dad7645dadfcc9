/**
 * What test-weakening looks like in JavaScript and TypeScript test code (vitest, jest, mocha,
 * node:test, ava, tap, chai). Each pattern is tried on one line with comments already removed.
 */

/** Default test files: `*.test.*`, `*.spec.*`, and anything under `test/`, `tests/`, `__tests__/`. */
export function isTestPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return /\.(test|spec)\.[^/]+$/.test(name) || /(^|\/)(test|tests|__tests__)\//.test(path);
}

/** Tests switched off: skipped or left as todo. */
export const SKIP_PATTERNS: RegExp[] = [
  /\b(it|test|describe|suite|context|bench)\s*\.\s*(skip|todo|skipIf|runIf)\b/g,
  /\b(xit|xtest|xdescribe|xcontext|xspecify)\s*\(/g,
  /\bt\s*\.\s*(skip|todo)\s*\(/g,
  // node:test options on the call's own line: test("x", { skip: true }), { todo: "why" }. Not any
  // object with a `todo` key: a to-do app's fixtures are full of those.
  /\b(it|test|describe|suite)\s*\(\s*(?:(["'`])(?:(?!\2).)*\2\s*,\s*)?\{[^}]*?\b(skip|todo)\s*:\s*(?!false\b|undefined\b|null\b|0\b)/g,
];

/** Tests focused: the rest of the suite stops running. */
export const FOCUS_PATTERNS: RegExp[] = [
  /\b(it|test|describe|suite|context|specify)\s*\.\s*only\b/g,
  /\b(fit|fdescribe)\s*\(/g,
  /\b(it|test|describe|suite)\s*\(\s*(?:(["'`])(?:(?!\2).)*\2\s*,\s*)?\{[^}]*?\bonly\s*:\s*true\b/g,
];

/** One match per assertion call. */
export const ASSERTION_PATTERNS: RegExp[] = [
  /\bexpect(\s*\.\s*soft)?\s*\(/g,
  /\bassert\s*\(/g,
  /\bassert(\s*\.\s*\w+)+\s*\(/g,
  /\bt\s*\.\s*(is|not|deepEqual|notDeepEqual|like|true|false|truthy|falsy|equal|notEqual|strictEqual|notStrictEqual|deepStrictEqual|same|notSame|strictSame|ok|notOk|throws|throwsAsync|notThrows|notThrowsAsync|rejects|resolves|regex|notRegex|match|notMatch|snapshot|error|ifError|fail|has|hasStrict)\s*\(/g,
  /\bshould\s*\./g,
];

/** Matchers that pin a value exactly. */
export const STRICT_MATCHERS: RegExp[] = [
  /\.\s*(toBe|toEqual|toStrictEqual|toMatchObject|toHaveLength|toContain|toContainEqual|toHaveProperty|toHaveBeenCalledWith|toHaveBeenCalledTimes|toThrow|toThrowError|toMatch|toMatchInlineSnapshot|toBeCloseTo)\s*\(\s*[^)\s]/,
  /\b(assert|t)\s*\.\s*(strict\s*\.\s*)?(strictEqual|deepStrictEqual|deepEqual|equal|notStrictEqual|notDeepStrictEqual|match|throws|rejects|is|same|strictSame)\s*\(/,
  /(^|[^.\w])(strictEqual|deepStrictEqual)\s*\(/,
  /\.\s*(eql|equal|deep\s*\.\s*equal)\s*\(/,
];

/** Matchers that let almost anything pass. */
export const LOOSE_MATCHERS: RegExp[] = [
  /\.\s*(toBeTruthy|toBeFalsy|toBeDefined)\s*\(\s*\)/,
  /\.\s*not\s*\.\s*(toBeUndefined|toBeNull|toBeNaN)\s*\(\s*\)/,
  /\.\s*toBeGreaterThanOrEqual\s*\(\s*0\s*\)/,
  /\.\s*toBeGreaterThan\s*\(\s*-\s*1\s*\)/,
  /\bexpect\s*\.\s*(anything|any)\s*\(/,
  /\.\s*toMatchObject\s*\(\s*\{\s*\}\s*\)/,
  /\.\s*toBeInstanceOf\s*\(\s*Object\s*\)/,
  /\.\s*toThrow\s*\(\s*\)/,
  /\bassert\s*(\.\s*ok\s*)?\(/,
  /\bt\s*\.\s*(truthy|falsy|ok|pass|assert)\s*\(/,
  /\.\s*to\s*\.\s*(be\s*\.\s*)?(ok|exist)\b/,
];

/**
 * The code of a line, without comments, given whether a block comment is open. Rough on
 * purpose: a `//` inside a string cuts the line short, which only hides a match, never adds one.
 */
export function stripComment(line: string, inBlock: boolean): { code: string; inBlock: boolean } {
  let code = "";
  let rest = line;
  let open = inBlock;
  while (rest.length > 0) {
    if (open) {
      const end = rest.indexOf("*/");
      if (end === -1) return { code, inBlock: true };
      rest = rest.slice(end + 2);
      open = false;
    } else {
      const block = rest.indexOf("/*");
      const lineComment = rest.search(/(^|[^:])\/\//);
      const cut = lineComment === -1 ? -1 : lineComment + (rest[lineComment] === "/" ? 0 : 1);
      if (cut !== -1 && (block === -1 || cut < block))
        return { code: code + rest.slice(0, cut), inBlock: false };
      if (block === -1) return { code: code + rest, inBlock: false };
      code += rest.slice(0, block);
      rest = rest.slice(block + 2);
      open = true;
    }
  }
  return { code, inBlock: open };
}

/** Each line's code without comments (empty for comment-only lines), by 0-based index. */
export function codeLines(lines: readonly string[]): string[] {
  let inBlock = false;
  return lines.map((line) => {
    const stripped = stripComment(line, inBlock);
    inBlock = stripped.inBlock;
    return stripped.code;
  });
}

/** How many times the patterns match across the lines. */
export function countMatches(lines: readonly string[], patterns: readonly RegExp[]): number {
  let count = 0;
  for (const line of lines)
    for (const pattern of patterns)
      count += line.match(new RegExp(pattern.source, "g"))?.length ?? 0;
  return count;
}

/** True when any pattern matches the line. */
export const matchesAny = (line: string, patterns: readonly RegExp[]): boolean =>
  patterns.some((pattern) => new RegExp(pattern.source).test(line));

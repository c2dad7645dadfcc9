import { describe, expect, it } from "vitest";
import { testFacts } from "./test-facts.js";
import { isTestPath, stripComment } from "./test-patterns.js";

const suite = (...body: string[]) =>
  [
    'import { describe, expect, it } from "vitest";',
    'describe("sum", () => {',
    ...body,
    "});",
    "",
  ].join("\n");
const original = suite(
  '  it("adds", () => {',
  "    expect(sum(1, 2)).toBe(3);",
  "    expect(sum(2, 2)).toBe(4);",
  "  });",
  '  it("subtracts", () => {',
  "    expect(sum(1, -1)).toBe(0);",
  "  });",
);

describe("testFacts", () => {
  it("finds nothing when a test file only gains tests", () => {
    const after = original.replace("});\n", '});\n  it("more", () => { expect(1).toBe(1); });\n');
    const facts = testFacts([{ path: "src/sum.test.ts", before: original, after }]);
    expect(facts.files_changed).toEqual(["src/sum.test.ts"]);
    expect(facts.weakened).toBe(false);
    expect(facts.assertions_removed).toEqual([]);
  });

  it("ignores files that are not tests", () => {
    const facts = testFacts([{ path: "src/sum.ts", before: original, after: "" }]);
    expect(facts.files_changed).toEqual([]);
    expect(facts.weakened).toBe(false);
  });

  it("reports a deleted test file, and one renamed out of the test folders", () => {
    const facts = testFacts([
      { path: "test/sum.test.ts", before: original, after: undefined },
      { path: "src/old-sum.ts", from: "tests/sum.ts", before: original, after: original },
      { path: "big.test.ts", status: "deleted", before: undefined, after: undefined },
    ]);
    expect(facts.files_deleted).toEqual(["test/sum.test.ts", "tests/sum.ts", "big.test.ts"]);
    expect(facts.weakened).toBe(true);
  });

  it("reports skips added, with their line, and not skips that were already there", () => {
    const after = original
      .replace('it("adds"', 'it.skip("adds"')
      .replace('it("subtracts"', 'test("subtracts", { skip: "flaky" }, () => {}); xit("subtracts"');
    const facts = testFacts([{ path: "src/sum.test.ts", before: original, after }]);
    expect(facts.skipped.map((f) => f.line)).toEqual([3, 7]);
    expect(facts.skipped[0]?.message).toContain("it.skip");
    expect(facts.weakened).toBe(true);

    const unchanged = testFacts([
      { path: "src/sum.test.ts", before: after, after: `${after}\n// more\n` },
    ]);
    expect(unchanged.skipped).toEqual([]);
  });

  it("counts todo, t.skip and describe.skip as skips, and a skip moved elsewhere as none", () => {
    const before = suite('  it.todo("later");', '  test("x", (t) => { t.pass(); });');
    const after = suite(
      '  test("x", (t) => { t.skip("why"); });',
      '  describe.skip("all", () => {});',
      '  it.todo("later");',
    );
    const facts = testFacts([{ path: "__tests__/x.js", before, after }]);
    expect(facts.skipped.map((f) => f.line)).toEqual([3, 4]);
  });

  it("does not mistake an object with a todo field for a skipped test", () => {
    const after = original.replace(
      "expect(sum(1, 2)).toBe(3);",
      'expect(add({ todo: "milk" })).toBe(3);',
    );
    expect(testFacts([{ path: "a.spec.ts", before: original, after }]).skipped).toEqual([]);
  });

  it("reports .only added", () => {
    const after = original.replace('it("subtracts"', 'it.only("subtracts"');
    const facts = testFacts([{ path: "a.spec.ts", before: original, after }]);
    expect(facts.focused).toEqual([
      { file: "a.spec.ts", line: 7, message: expect.stringContaining("it.only") },
    ]);
  });

  it("counts assertions removed, ignoring commented-out ones", () => {
    const after = original
      .replace("    expect(sum(2, 2)).toBe(4);\n", "    // expect(sum(2, 2)).toBe(4);\n")
      .replace("    expect(sum(1, -1)).toBe(0);\n", "    /* expect(sum(1, -1)).toBe(0); */\n");
    const facts = testFacts([{ path: "a.test.ts", before: original, after }]);
    expect(facts.assertions_removed).toEqual([
      { file: "a.test.ts", line: 0, message: "2 assertions removed (3 → 1)" },
    ]);
  });

  it("counts node:test, ava and chai assertions", () => {
    const before = [
      "assert.strictEqual(a, 1);",
      "assert(b);",
      "assert.deepStrictEqual(c, [1]);",
      "t.is(d, 2);",
      "x.should.equal(3);",
    ].join("\n");
    const after = ["assert(b);", "t.is(d, 2);"].join("\n");
    expect(testFacts([{ path: "test/a.mjs", before, after }]).assertions_removed[0]?.message).toBe(
      "3 assertions removed (5 → 2)",
    );
  });

  it("reports a strict matcher replaced by a loose one, at the added line", () => {
    const after = original
      .replace("expect(sum(1, 2)).toBe(3);", "expect(sum(1, 2)).toBeTruthy();")
      .replace("expect(sum(1, -1)).toBe(0);", "expect(sum(1, -1)).toBeGreaterThanOrEqual(0);");
    const facts = testFacts([{ path: "a.test.ts", before: original, after }]);
    expect(facts.loosened.map((f) => [f.line, f.message])).toEqual([
      [4, "a strict matcher was replaced by a loose one: toBeTruthy()"],
      [8, "a strict matcher was replaced by a loose one: toBeGreaterThanOrEqual(0)"],
    ]);
    expect(facts.assertions_removed).toEqual([]);

    const strictToOk = testFacts([
      { path: "t/x.test.js", before: "assert.strictEqual(a, 1);\n", after: "assert.ok(a);\n" },
    ]);
    expect(strictToOk.loosened).toHaveLength(1);
  });

  it("does not call a loose matcher added beside untouched strict ones loosening", () => {
    const after = original.replace("  });\n", "    expect(sum).toBeDefined();\n  });\n");
    expect(testFacts([{ path: "a.test.ts", before: original, after }]).loosened).toEqual([]);
  });

  it("reads a new test file's skips and focus, with nothing to compare assertions with", () => {
    const after = suite('  it.only("a", () => {});', '  it.skip("b", () => {});');
    const facts = testFacts([{ path: "new.test.ts", before: undefined, after }]);
    expect(facts.focused.map((f) => f.line)).toEqual([3]);
    expect(facts.skipped.map((f) => f.line)).toEqual([4]);
    expect(facts.assertions_removed).toEqual([]);
  });

  it("uses the caller's idea of a test file", () => {
    const facts = testFacts(
      [{ path: "checks/sum.ts", before: original, after: undefined }],
      (path) => path.startsWith("checks/"),
    );
    expect(facts.files_deleted).toEqual(["checks/sum.ts"]);
  });
});

describe("test file paths and comments", () => {
  it.each([
    ["src/a.test.ts", true],
    ["src/a.spec.mjs", true],
    ["test/helpers.ts", true],
    ["packages/x/tests/a.ts", true],
    ["src/__tests__/a.tsx", true],
    ["src/latest.ts", false],
    ["src/contest/a.ts", false],
    ["testing.md", false],
  ])("%s is a test file: %s", (path, expected) => {
    expect(isTestPath(path)).toBe(expected);
  });

  it("strips line and block comments but keeps URLs", () => {
    expect(stripComment('get("http://x") // expect(1)', false)).toEqual({
      code: 'get("http://x") ',
      inBlock: false,
    });
    expect(stripComment("a /* b */ c /* d", false)).toEqual({ code: "a  c ", inBlock: true });
    expect(stripComment("still */ code", true)).toEqual({ code: " code", inBlock: false });
  });
});

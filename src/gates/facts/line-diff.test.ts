import { describe, expect, it } from "vitest";
import { lineDiff, splitLines } from "./line-diff.js";

describe("lineDiff", () => {
  it("reports added lines by their number in after and removed ones by their number in before", () => {
    const before = "a\nb\nc\nd\n";
    const after = "a\nB\nc\nd\ne\n";
    expect(lineDiff(before, after)).toEqual({
      added: [
        { line: 2, text: "B" },
        { line: 5, text: "e" },
      ],
      removed: [{ line: 2, text: "b" }],
    });
  });

  it("finds the kept lines in the middle of a reordered text", () => {
    const before = ["x", "1", "2", "3", "4", "y"].join("\n");
    const after = ["x", "0", "1", "3", "4", "5", "y"].join("\n");
    const diff = lineDiff(before, after);
    expect(diff.added.map((l) => l.text)).toEqual(["0", "5"]);
    expect(diff.removed.map((l) => l.text)).toEqual(["2"]);
    expect(diff.added.map((l) => l.line)).toEqual([2, 6]);
  });

  it("treats a missing side as empty", () => {
    expect(lineDiff(undefined, "a\nb")).toEqual({
      added: [
        { line: 1, text: "a" },
        { line: 2, text: "b" },
      ],
      removed: [],
    });
    expect(lineDiff("a\n", undefined).removed).toEqual([{ line: 1, text: "a" }]);
    expect(lineDiff("same\n", "same\n")).toEqual({ added: [], removed: [] });
  });

  it("agrees with a brute-force check on random edits", () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const before = Array.from({ length: rand(12) }, () => String(rand(4)));
      const after = Array.from({ length: rand(12) }, () => String(rand(4)));
      const diff = lineDiff(before.join("\n"), after.join("\n"));
      // Kept lines of both sides must be the same sequence, and the edit must be minimal.
      const keptAfter = after.filter((_, i) => !diff.added.some((l) => l.line === i + 1));
      const keptBefore = before.filter((_, i) => !diff.removed.some((l) => l.line === i + 1));
      expect(keptAfter).toEqual(keptBefore);
      expect(keptAfter.length).toBe(lcsLength(before, after));
    }
  });

  it("splits CRLF and LF alike, without an empty last line", () => {
    expect(splitLines("a\r\nb\n")).toEqual(["a", "b"]);
    expect(splitLines("")).toEqual([]);
  });
});

function lcsLength(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      (t[i] as number[])[j] =
        a[i - 1] === b[j - 1]
          ? ((t[i - 1] as number[])[j - 1] as number) + 1
          : Math.max((t[i - 1] as number[])[j] as number, (t[i] as number[])[j - 1] as number);
  return (t[a.length] as number[])[b.length] as number;
}

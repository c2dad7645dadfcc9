import { describe, expect, it } from "vitest";
import { LineSplitter } from "./line-splitter.js";

const split = (chunks: string[]) => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
};

describe("LineSplitter", () => {
  it("joins lines split across chunks and strips CRLF", () => {
    expect(split(['{"a":', '1}\r\n{"b"', ":2}\n\n"])).toEqual(['{"a":1}', '{"b":2}', ""]);
  });

  it("gives the last line when the stream ends without a newline", () => {
    expect(split(["one\ntw", "o"])).toEqual(["one", "two"]);
  });

  it("drops a line past 8 MiB, and only that line", () => {
    const huge = "x".repeat(1024 * 1024);
    const chunks = ["first\n", ...Array.from({ length: 9 }, () => huge), "tail\nnext\n"];
    expect(split(chunks)).toEqual(["first", "next"]);
  });
});

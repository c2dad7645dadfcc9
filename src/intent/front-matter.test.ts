import { describe, expect, it } from "vitest";
import { COVERED, HEADER } from "./intent-text.fixture.js";
import { lintIntent } from "./lint-intent.js";

describe("front matter", () => {
  it("is required at the very top of the file", () => {
    const result = lintIntent(`# Refunds\n\n---\n${HEADER}${COVERED}---\n`, "t.md");
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      rule: "front-matter",
      severity: "error",
      file: "t.md",
      line: 1,
      column: 1,
      message: expect.stringContaining("must start with YAML front matter"),
      hint: expect.stringContaining("---"),
    });
    expect(result.intent).toBeUndefined();
  });

  it("must be closed", () => {
    const result = lintIntent(`---\n${HEADER}${COVERED}\n# Refunds\n`, "t.md");
    expect(result.diagnostics).toMatchObject([
      {
        rule: "front-matter",
        line: 1,
        column: 1,
        message: expect.stringContaining("never closed"),
      },
    ]);
  });

  it("must hold fields", () => {
    expect(lintIntent("---\n---\nprose\n", "t.md").diagnostics).toMatchObject([
      { rule: "front-matter", line: 1, message: expect.stringContaining("found nothing") },
    ]);
    expect(lintIntent("---\n- a\n- b\n---\n", "t.md").diagnostics).toMatchObject([
      { rule: "front-matter", line: 1 },
    ]);
  });

  it("accepts CRLF line endings and a byte-order mark, and keeps the body", () => {
    const text = `\uFEFF---\n${HEADER}${COVERED}---\n\n# Refunds\n\nContext.\n`.replace(
      /\n/g,
      "\r\n",
    );
    const result = lintIntent(text, "t.md");
    expect(result.diagnostics).toEqual([]);
    expect(result.intent?.body).toBe("# Refunds\n\nContext.");
  });

  it("reports YAML syntax errors at their line in the file", () => {
    const result = lintIntent(`---\n${HEADER}title: Again\n---\n`, "t.md");
    expect(result.diagnostics).toMatchObject([{ rule: "yaml-syntax", line: 6 }]);
    const unclosed = lintIntent(`---\n${HEADER}requirements: [\n---\n`, "t.md");
    expect(unclosed.diagnostics[0]?.rule).toBe("yaml-syntax");
  });
});

describe("YAML the parser cannot turn into values", () => {
  it("reports an unresolved alias instead of throwing", () => {
    const result = lintIntent(
      `---\n${HEADER}${COVERED.replace("id: REQ-1", "id: *req")}---\n`,
      "t.md",
    );
    expect(result.diagnostics).toMatchObject([{ rule: "yaml-syntax", line: 7, column: 9 }]);
  });

  it("reports an alias bomb instead of expanding it", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      bomb.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const result = lintIntent(`---\n${bomb.join("\n")}\n---\n`, "t.md");
    expect(result.diagnostics.map((d) => d.rule)).toEqual(["yaml-syntax"]);
  });
});

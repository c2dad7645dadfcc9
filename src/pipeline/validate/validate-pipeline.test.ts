import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, graphOf, lint } from "./lint.fixture.js";
import type { LintRule } from "./lint-rule.js";
import { validatePipeline } from "./validate-pipeline.js";

describe("validatePipeline", () => {
  it("finds nothing in a clean pipeline", () => {
    expect(lint(CLEAN)).toEqual([]);
  });

  it("runs extra rules after the built-in ones and sorts everything by position", () => {
    const everyNode: LintRule = {
      name: "custom",
      apply: (graph) =>
        [...graph.nodes.values()].map((node) => ({
          rule: "custom",
          severity: "warning" as const,
          message: node.id,
          file: graph.file,
          ...node.pos,
        })),
    };
    const diagnostics = validatePipeline(graphOf(cleanWith("orphan [prompt=x]")), {
      extraRules: [everyNode],
    });
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`)).toEqual([
      "2:3 custom",
      "3:3 custom",
      "4:3 custom",
      "6:3 custom",
      "6:3 reachability",
    ]);
  });

  it("every diagnostic names the file, a position and a fix", () => {
    const text = cleanWith(
      "orphan",
      "t [shape=parallelogram]",
      "work -> t",
      "x [max_retries=lots]",
    );
    const diagnostics = lint(text);
    expect(diagnostics.length).toBeGreaterThan(3);
    for (const d of diagnostics) {
      expect(d.file).toBe("t.dot");
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.hint).toBeTruthy();
    }
  });
});

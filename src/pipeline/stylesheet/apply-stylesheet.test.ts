import { describe, expect, it } from "vitest";
import { parseDot } from "../dot/parse-dot.js";
import type { PipelineGraph } from "../graph.js";
import { applyStylesheet } from "./apply-stylesheet.js";
import { parseStylesheet } from "./parse-stylesheet.js";

function styled(dot: string, stylesheet: string): PipelineGraph {
  const parsed = parseDot(dot, "t.dot");
  const rules = parseStylesheet(stylesheet);
  if (!parsed.ok || !rules.ok) throw new Error("fixture does not parse");
  applyStylesheet(parsed.graph, rules.rules);
  return parsed.graph;
}
const model = (graph: PipelineGraph, id: string) => graph.nodes.get(id)?.attrs.llm_model;

describe("applyStylesheet", () => {
  it("ranks id over class over shape over universal, whatever the order written (§8.3)", () => {
    const graph = styled(
      `digraph G { plain  boxed [shape=box]  gate [shape=diamond]  coded [class="code"]  star [class="code"] }`,
      "#star { llm_model: by-id } .code { llm_model: by-class } box { llm_model: by-shape } * { llm_model: any }",
    );
    expect(model(graph, "plain")).toBe("by-shape"); // no shape is a box
    expect(model(graph, "boxed")).toBe("by-shape");
    expect(model(graph, "gate")).toBe("any");
    expect(model(graph, "coded")).toBe("by-class");
    expect(model(graph, "star")).toBe("by-id");
  });

  it("lets a later rule of equal specificity win, per property", () => {
    const graph = styled(
      "digraph G { a }",
      "* { llm_model: first; llm_provider: p1 } * { llm_model: second }",
    );
    expect(graph.nodes.get("a")?.attrs).toMatchObject({ llm_model: "second", llm_provider: "p1" });
  });

  it("never overrides a value the node has, explicit or from a node [...] block (§8.5)", () => {
    const graph = styled(
      "digraph G { a [llm_model=mine]  node [reasoning_effort=low]  b }",
      "#a { llm_model: sheet } * { reasoning_effort: high; llm_provider: x }",
    );
    expect(graph.nodes.get("a")?.attrs).toEqual({
      llm_model: "mine",
      reasoning_effort: "high",
      llm_provider: "x",
    });
    expect(graph.nodes.get("b")?.attrs.reasoning_effort).toBe("low");
  });

  it("matches classes derived from subgraph labels (§2.10)", () => {
    const graph = styled(
      'digraph G { subgraph s { label="Loop A"; a } b }',
      ".loop-a { llm_model: looped }",
    );
    expect(model(graph, "a")).toBe("looped");
    expect(model(graph, "b")).toBeUndefined();
  });

  it("sets no attribute position for values it adds", () => {
    const graph = styled("digraph G { a }", "* { llm_model: m }");
    expect(graph.nodes.get("a")?.attrPos).toEqual({});
  });
});

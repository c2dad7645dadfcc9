import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "../graph.js";
import { deriveClass } from "./graph-builder.js";
import { parseDot } from "./parse-dot.js";

function parse(text: string): PipelineGraph {
  const result = parseDot(text, "test.dot");
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.graph;
}
const attrsOf = (graph: PipelineGraph, id: string) => graph.nodes.get(id)?.attrs;

describe("default blocks", () => {
  it("apply only to nodes and edges declared after them", () => {
    const graph = parse(`digraph G {
      before
      node [shape=box, timeout="900s"]
      edge [weight=1]
      a -> b
      after [timeout="60s"]
    }`);
    expect(attrsOf(graph, "before")).toEqual({});
    expect(attrsOf(graph, "a")).toEqual({ shape: "box", timeout: "900s" });
    expect(attrsOf(graph, "after")).toEqual({ shape: "box", timeout: "60s" });
    expect(graph.edges[0]?.attrs).toEqual({ weight: "1" });
  });

  it("record where an inherited value was written, but not as the node's own attribute", () => {
    const graph = parse('digraph G {\n  node [timeout="900s"]\n  a\n}');
    const a = graph.nodes.get("a");
    expect(a?.attrPos).toEqual({});
    expect(a?.valuePos?.timeout).toEqual({ line: 2, column: 18, verbatim: true });
  });

  it("give a node first mentioned in an edge the defaults in scope there", () => {
    const graph = parse("digraph G { a -> b  node [shape=box]  b -> c }");
    expect(attrsOf(graph, "b")).toEqual({});
    expect(attrsOf(graph, "c")).toEqual({ shape: "box" });
  });

  it("let explicit edge attributes override edge defaults", () => {
    const graph = parse("digraph G { edge [weight=1, label=x] a -> b [weight=5] }");
    expect(graph.edges[0]?.attrs).toEqual({ weight: "5", label: "x" });
    expect(graph.edges[0]?.attrPos.weight).toBeDefined();
    expect(graph.edges[0]?.attrPos.label).toBeUndefined();
  });

  it("in a subgraph end with the subgraph and reach nested subgraphs (§2.10)", () => {
    const graph = parse(`digraph G {
      node [llm_model=outer]
      subgraph cluster_loop {
        label = "Loop A"
        node [thread_id="loop-a", timeout="900s"]
        Plan      [label="Plan next step"]
        Implement [label="Implement", timeout="1800s"]
        subgraph inner {
          node [timeout="5m"]
          Deep
        }
        AfterInner
      }
      Outside
    }`);
    expect(attrsOf(graph, "Plan")).toEqual({
      llm_model: "outer",
      thread_id: "loop-a",
      timeout: "900s",
      label: "Plan next step",
    });
    expect(attrsOf(graph, "Implement")?.timeout).toBe("1800s");
    expect(attrsOf(graph, "Deep")).toEqual({
      llm_model: "outer",
      thread_id: "loop-a",
      timeout: "5m",
    });
    expect(attrsOf(graph, "AfterInner")?.timeout).toBe("900s");
    expect(attrsOf(graph, "Outside")).toEqual({ llm_model: "outer" });
  });
});

describe("subgraphs", () => {
  it("are flattened, their label a class on every node inside, nested ones too", () => {
    const graph = parse(`digraph G {
      start -> a
      subgraph cluster_x {
        graph [label="Loop A"]
        a -> b
        subgraph { label="Deep Work!"; c [class="fast"] }
      }
      d
    }`);
    expect([...graph.nodes.keys()]).toEqual(["start", "a", "b", "c", "d"]);
    expect(graph.edges.map((e) => `${e.from}->${e.to}`)).toEqual(["start->a", "a->b"]);
    expect(graph.nodes.get("a")?.classes).toEqual(["loop-a"]);
    expect(graph.nodes.get("b")?.classes).toEqual(["loop-a"]);
    expect(graph.nodes.get("c")?.classes).toEqual(["fast", "deep-work", "loop-a"]);
    expect(graph.nodes.get("d")?.classes).toEqual([]);
    expect(graph.nodes.get("start")?.classes).toEqual([]);
  });

  it("keep their attributes to themselves", () => {
    const graph = parse(
      'digraph G { label="Top" subgraph s { label="Inner" rank=same graph [goal=x] } }',
    );
    expect(graph.attrs).toEqual({ label: "Top" });
  });

  it("take a label set after their nodes", () => {
    const graph = parse('digraph G { subgraph s { a  label="Late" } }');
    expect(graph.nodes.get("a")?.classes).toEqual(["late"]);
  });

  it("accept an anonymous { } block like subgraph", () => {
    const graph = parse("digraph G { { node [shape=box] a } b }");
    expect(attrsOf(graph, "a")).toEqual({ shape: "box" });
    expect(attrsOf(graph, "b")).toEqual({});
  });
});

describe("deriveClass", () => {
  it("lowercases, turns spaces into hyphens and drops the rest (§2.10), trimmed", () => {
    expect(deriveClass("Loop A")).toBe("loop-a");
    expect(deriveClass("  Fast &  Cheap: v2 ")).toBe("fast--cheap-v2");
    expect(deriveClass("Über")).toBe("ber");
  });
});

import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "../graph.js";
import { BRANCH, REVIEW, SIMPLE } from "./examples.fixture.js";
import { parseDot } from "./parse-dot.js";

function parse(text: string): PipelineGraph {
  const result = parseDot(text, "test.dot");
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.graph;
}
const edgeList = (graph: PipelineGraph) => graph.edges.map((e) => `${e.from}->${e.to}`);

describe("parseDot on the §2.13 examples", () => {
  it("parses the simple linear workflow", () => {
    const graph = parse(SIMPLE);
    expect(graph.id).toBe("Simple");
    expect(graph.file).toBe("test.dot");
    expect(graph.pos).toEqual({ line: 1, column: 1 });
    expect(graph.attrs).toEqual({ goal: "Run tests and report", rankdir: "LR" });
    expect([...graph.nodes.keys()]).toEqual(["start", "exit", "run_tests", "report"]);
    expect(graph.nodes.get("run_tests")?.attrs).toEqual({
      label: "Run Tests",
      prompt: "Run the test suite and report results",
    });
    expect(edgeList(graph)).toEqual(["start->run_tests", "run_tests->report", "report->exit"]);
    expect(graph.edges.map((e) => e.index)).toEqual([0, 1, 2]);
  });

  it("parses the branching workflow with node defaults and conditions", () => {
    const graph = parse(BRANCH);
    expect(graph.nodes.get("gate")?.attrs).toEqual({
      shape: "diamond",
      timeout: "900s",
      label: "Tests passing?",
    });
    expect(graph.nodes.get("plan")?.attrs.shape).toBe("box");
    expect(edgeList(graph)).toEqual([
      "start->plan",
      "plan->implement",
      "implement->validate",
      "validate->gate",
      "gate->exit",
      "gate->implement",
    ]);
    expect(graph.edges[4]?.attrs).toEqual({ label: "Yes", condition: "outcome=success" });
    expect(graph.edges[5]?.attrs).toEqual({ label: "No", condition: "outcome!=success" });
  });

  it("parses the human gate with a multi-line attribute block", () => {
    const graph = parse(REVIEW);
    expect(graph.nodes.get("review_gate")?.attrs).toEqual({
      shape: "hexagon",
      label: "Review Changes",
      type: "wait.human",
    });
    // Each attribute is located on its own line of the block.
    expect(graph.nodes.get("review_gate")?.attrPos).toEqual({
      shape: { line: 8, column: 9 },
      label: { line: 9, column: 9 },
      type: { line: 10, column: 9 },
    });
    expect(graph.nodes.get("ship_it")).toMatchObject({
      declared: false,
      pos: { line: 14, column: 20 },
    });
    expect(graph.nodes.get("review_gate")?.declared).toBe(true);
    expect(graph.edges[1]?.attrs.label).toBe("[A] Approve");
  });
});

describe("parseDot values and positions", () => {
  it("keeps every kind of value as text, with key and value positions", () => {
    const graph = parse(
      'digraph G {\n  a [s="q", i=42, n=-1, f=-3.14, g=.5, b=true, d=900s, m=250ms, v=claude-opus-4-6, p=summary:low, h.x=1]\n}',
    );
    const a = graph.nodes.get("a");
    expect(a?.attrs).toEqual({
      s: "q",
      i: "42",
      n: "-1",
      f: "-3.14",
      g: ".5",
      b: "true",
      d: "900s",
      m: "250ms",
      v: "claude-opus-4-6",
      p: "summary:low",
      "h.x": "1",
    });
    expect(a?.attrPos.s).toEqual({ line: 2, column: 6 });
    expect(a?.valuePos?.s).toEqual({ line: 2, column: 9, verbatim: true });
    expect(a?.attrPos.i).toEqual({ line: 2, column: 13 });
    expect(a?.valuePos?.i).toEqual({ line: 2, column: 15, verbatim: true });
  });

  it('unescapes \\" \\n \\t \\\\ and keeps other backslashes', () => {
    const graph = parse(String.raw`digraph G { a [prompt="say \"hi\"\n\tnow \\ \d"] }`);
    expect(graph.nodes.get("a")?.attrs.prompt).toBe('say "hi"\n\tnow \\ \\d');
    expect(graph.nodes.get("a")?.valuePos?.prompt?.verbatim).toBe(false);
  });

  it("accepts strings that span lines", () => {
    const graph = parse(
      'digraph G {\n  graph [model_stylesheet="\n    * { llm_model: x; }\n  "]\n}',
    );
    expect(graph.attrs.model_stylesheet).toBe("\n    * { llm_model: x; }\n  ");
    expect(graph.valuePos?.model_stylesheet).toEqual({ line: 2, column: 28, verbatim: true });
  });

  it("strips // and /* */ comments, also between tokens and inside blocks", () => {
    const graph = parse(
      '// header\ndigraph /* name */ G { // open\n  a [label="x // not a comment", /* c */ shape=box]\n  /* multi\n line */ a -> b\n}\n// end',
    );
    expect(graph.nodes.get("a")?.attrs).toEqual({ label: "x // not a comment", shape: "box" });
    expect(edgeList(graph)).toEqual(["a->b"]);
    expect(graph.edges[0]?.pos).toEqual({ line: 5, column: 10 });
  });

  it("accepts optional semicolons and a trailing comma", () => {
    const graph = parse("digraph G { a [x=1,]; b; a -> b; ; }");
    expect([...graph.nodes.keys()]).toEqual(["a", "b"]);
    expect(graph.nodes.get("a")?.attrs).toEqual({ x: "1" });
  });

  it("reads keywords in any case and allows no graph name", () => {
    const graph = parse("DiGraph { NODE [shape=box] Graph [goal=g] Edge [weight=2] a -> b }");
    expect(graph.id).toBe("");
    expect(graph.attrs.goal).toBe("g");
    expect(graph.nodes.get("a")?.attrs.shape).toBe("box");
    expect(graph.edges[0]?.attrs.weight).toBe("2");
  });

  it("takes top-level key=value, including dotted keys, as graph attributes", () => {
    const graph = parse('digraph G {\n  goal = "Ship it"\n  stack.child_dotfile = "child.dot"\n}');
    expect(graph.attrs).toEqual({ goal: "Ship it", "stack.child_dotfile": "child.dot" });
    expect(graph.attrPos.goal).toEqual({ line: 2, column: 3 });
  });
});

describe("parseDot edges", () => {
  it("expands chained edges with the same attributes and positions each pair", () => {
    const graph = parse('digraph G {\n  a -> b -> c [label="next", weight=2]\n}');
    expect(edgeList(graph)).toEqual(["a->b", "b->c"]);
    for (const edge of graph.edges) expect(edge.attrs).toEqual({ label: "next", weight: "2" });
    expect(graph.edges.map((e) => [e.pos, e.toPos])).toEqual([
      [
        { line: 2, column: 3 },
        { line: 2, column: 8 },
      ],
      [
        { line: 2, column: 8 },
        { line: 2, column: 13 },
      ],
    ]);
  });

  it("lexes A->B without spaces and keeps hyphens in bare values", () => {
    const graph = parse("digraph G { a->b [label=x-y] }");
    expect(edgeList(graph)).toEqual(["a->b"]);
    expect(graph.edges[0]?.attrs.label).toBe("x-y");
  });

  it("positions a node at its first mention and merges later declarations", () => {
    const graph = parse('digraph G {\n  a -> b\n  b [label="B", shape=box]\n  b [label="Bee"]\n}');
    const b = graph.nodes.get("b");
    expect(b?.pos).toEqual({ line: 2, column: 8 });
    expect(b?.declared).toBe(true);
    expect(b?.attrs).toEqual({ label: "Bee", shape: "box" });
    expect(b?.attrPos.label).toEqual({ line: 4, column: 6 });
  });

  it("splits class into trimmed classes", () => {
    const graph = parse('digraph G { a [class=" code , critical,"] }');
    expect(graph.nodes.get("a")?.classes).toEqual(["code", "critical"]);
  });
});

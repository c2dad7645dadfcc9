import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BRANCH, REVIEW, SIMPLE, STYLESHEET } from "./dot/examples.fixture.js";
import { loadPipeline, loadPipelineFile, type PipelineTransform } from "./load-pipeline.js";
import { SPEC_HANDLER_TYPES } from "./validate/index.js";

describe("loadPipeline", () => {
  it("loads the spec's examples; warnings do not stop a pipeline", () => {
    const simple = loadPipeline(SIMPLE, "simple.dot");
    expect(simple).toMatchObject({ ok: true, diagnostics: [] });
    expect(simple.graph?.nodes.size).toBe(4);
    const branch = loadPipeline(BRANCH, "branch.dot");
    expect(branch.ok).toBe(true);
    expect(branch.diagnostics.map((d) => `${d.rule}@${d.line}:${d.column}`)).toEqual([
      "unbounded_loop@15:5",
    ]);
  });

  it("loads the human-gate example, warning that ship_it and fixes are only named in edges", () => {
    const review = loadPipeline(REVIEW, "review.dot");
    expect(review.ok).toBe(true);
    expect(
      review.diagnostics
        .filter((d) => d.rule === "edge_target_exists")
        .map((d) => `${d.severity}@${d.line}:${d.column}`),
    ).toEqual(["warning@14:20", "warning@15:20"]);
  });

  it("refuses an undeclared edge target one typo away from a declared node", () => {
    const text = `digraph G {
      start [shape=Mdiamond]  exit [shape=Msquare]
      review [shape=box, prompt="review"]
      start -> reveiw -> exit
    }`;
    const loaded = loadPipeline(text, "g.dot");
    expect(loaded.ok).toBe(false);
    expect(loaded.diagnostics.find((d) => d.rule === "edge_target_exists")).toMatchObject({
      severity: "error",
      line: 4,
      hint: expect.stringContaining("did you mean review?"),
    });
  });

  it("applies the model stylesheet before validation (§8.6)", () => {
    const loaded = loadPipeline(STYLESHEET, "style.dot");
    const model = (id: string) => loaded.graph?.nodes.get(id)?.attrs.llm_model;
    expect(model("plan")).toBe("claude-sonnet-4-5");
    expect(model("implement")).toBe("claude-opus-4-6");
    expect(model("critical_review")).toBe("gpt-5.2");
    expect(loaded.graph?.nodes.get("critical_review")?.attrs.llm_provider).toBe("openai");
  });

  it("leaves the nodes alone and reports when the stylesheet does not parse", () => {
    const text = SIMPLE.replace(
      'graph [goal="Run tests and report"]',
      'graph [model_stylesheet="* { model: x }"]',
    );
    const loaded = loadPipeline(text, "bad-style.dot");
    expect(loaded.ok).toBe(false);
    expect(loaded.diagnostics.map((d) => `${d.rule}@${d.line}:${d.column}`)).toEqual([
      "stylesheet_syntax@2:34",
    ]);
    expect(loaded.graph?.nodes.get("report")?.attrs.llm_model).toBeUndefined();
  });

  it("expands $goal in prompts, leaving labels as written", () => {
    const text = `digraph G {
      goal = "ship the login page"
      start [shape=Mdiamond]  exit [shape=Msquare]
      plan [label="Plan: $goal", prompt="Plan how to $goal. Then $goal!"]
      start -> plan -> exit
    }`;
    const plan = loadPipeline(text, "g.dot").graph?.nodes.get("plan");
    expect(plan?.attrs.label).toBe("Plan: $goal");
    expect(plan?.attrs.prompt).toBe("Plan how to ship the login page. Then ship the login page!");
  });

  it("runs extra transforms after the built-in ones, in order, before validation", () => {
    const seen: string[] = [];
    const first: PipelineTransform = (graph) => {
      seen.push(`first saw ${graph.nodes.get("run_tests")?.attrs.prompt}`);
      graph.nodes.delete("report");
    };
    const second: PipelineTransform = (graph) => {
      seen.push(`second saw ${graph.nodes.has("report")}`);
    };
    const loaded = loadPipeline(SIMPLE.replace("Run the test suite", "$goal:"), "t.dot", {
      extraTransforms: [first, second],
    });
    expect(seen).toEqual([
      "first saw Run tests and report: and report results",
      "second saw false",
    ]);
    expect(loaded.diagnostics.map((d) => d.rule)).toContain("edge_target_exists");
  });

  it("passes knownTypes and extra rules to validation", () => {
    const text = SIMPLE.replace('[label="Report",', '[type="factory.report", label="Report",');
    expect(loadPipeline(text, "t.dot").diagnostics.map((d) => d.rule)).toEqual(["type_known"]);
    const knownTypes = new Set([...SPEC_HANDLER_TYPES, "factory.report"]);
    const loaded = loadPipeline(text, "t.dot", {
      knownTypes,
      extraRules: [{ name: "never", apply: () => [] }],
    });
    expect(loaded.diagnostics).toEqual([]);
  });

  it("returns the syntax error and no graph when the text does not parse", () => {
    const loaded = loadPipeline("digraph G {\n  a -- b\n}", "bad.dot");
    expect(loaded.ok).toBe(false);
    expect(loaded.graph).toBeUndefined();
    expect(loaded.diagnostics).toMatchObject([
      { rule: "dot-syntax", file: "bad.dot", line: 2, column: 5 },
    ]);
  });
});

describe("loadPipelineFile", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "load-pipeline-"));
    await writeFile(join(dir, "simple.dot"), SIMPLE);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads a file, naming it in diagnostics", async () => {
    const loaded = await loadPipelineFile(join(dir, "simple.dot"));
    expect(loaded.ok).toBe(true);
    expect(loaded.graph?.file).toBe(join(dir, "simple.dot"));
  });

  it("throws pipeline-not-found (exit 2) with a hint for a missing file or a directory", async () => {
    await expect(loadPipelineFile(join(dir, "nope.dot"))).rejects.toMatchObject({
      code: "pipeline-not-found",
      exitCode: 2,
      message: `no pipeline file at ${join(dir, "nope.dot")}`,
      hint: /check the path/,
    });
    await expect(loadPipelineFile(dir)).rejects.toMatchObject({
      code: "pipeline-not-found",
      exitCode: 2,
      hint: /<pipeline>\.dot/,
    });
  });
});

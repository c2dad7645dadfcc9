import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRedactor } from "../../governance/index.js";
import type { BranchResult, HandlerInput } from "../engine/handler.js";
import type { Outcome } from "../engine/outcome.js";
import { RunContext } from "../engine/run-context.js";
import { loadPipeline } from "../load-pipeline.js";
import { parallelHandler } from "./parallel.js";
import { createToolHandler } from "./tool.js";
import { createLocalExecutor } from "./tool-executor.js";
import { createWaitHumanHandler } from "./wait-human.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "df-handlers-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function inputFor(source: string, nodeId: string, extra: Partial<HandlerInput> = {}): HandlerInput {
  const graph = loadPipeline(source, "h.dot").graph;
  const node = graph?.nodes.get(nodeId);
  if (!graph || !node) throw new Error("test graph did not load");
  return {
    node,
    graph,
    context: new RunContext(),
    boltId: "b1",
    stageDir: join(dir, nodeId),
    runDir: dir,
    attempt: 1,
    visit: 1,
    idempotencyKey: `b1:${nodeId}:1:1`,
    signal: new AbortController().signal,
    runBranch: async () => {
      throw new Error("no branches here");
    },
    ...extra,
  };
}

describe("the tool handler", () => {
  const tool = createToolHandler({ executor: createLocalExecutor(), redactor: createRedactor() });

  it("fails a command that outlives its timeout, and kills it", async () => {
    const source = `digraph g { start [shape=Mdiamond]; exit [shape=Msquare]; t [shape=parallelogram, tool_command="sleep 5; echo late", timeout="300ms"]; start -> t -> exit }`;
    const started = Date.now();
    const outcome = (await tool.execute(inputFor(source, "t"))) as Outcome;
    expect(outcome).toMatchObject({
      status: "fail",
      failure_reason: expect.stringContaining("timed out after 300 ms"),
    });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("reports a non-zero exit with the tail of stderr", async () => {
    const source = `digraph g { start [shape=Mdiamond]; exit [shape=Msquare]; t [shape=parallelogram, tool_command="echo oops >&2; exit 3"]; start -> t -> exit }`;
    const outcome = (await tool.execute(inputFor(source, "t"))) as Outcome;
    expect(outcome).toMatchObject({ status: "fail", context_updates: { "tool.exit_code": 3 } });
    expect(outcome.failure_reason).toMatch(/^exit 3: .*\noops$/s);
  });
});

describe("the parallel handler", () => {
  const source = `digraph g {
    start [shape=Mdiamond]; exit [shape=Msquare]
    fan [shape=component, join_policy="first_success", max_parallel=1]
    a [shape=parallelogram, tool_command="true"]; b [shape=parallelogram, tool_command="true"]; c [shape=parallelogram, tool_command="true"]
    join [shape=tripleoctagon]
    start -> fan; fan -> a; fan -> b; fan -> c; a -> join; b -> join; c -> join; join -> exit
  }`;

  it("with first_success, stops starting branches once one succeeded, and jumps to the fan-in", async () => {
    const ran: string[] = [];
    const runBranch = async (
      from: string,
      _context: RunContext,
      signal: AbortSignal,
    ): Promise<BranchResult> => {
      if (signal.aborted)
        return { id: from, outcome: { status: "fail", failure_reason: "cancelled" }, context: {} };
      ran.push(from);
      return {
        id: from,
        outcome: { status: from === "a" ? "fail" : "success" },
        context: {},
        joinedAt: "join",
      };
    };
    const outcome = (await parallelHandler.execute(
      inputFor(source, "fan", { runBranch }),
    )) as Outcome;
    expect(ran).toEqual(["a", "b"]);
    expect(outcome).toMatchObject({ status: "success", jump_to: "join" });
    const results = outcome.context_updates?.["parallel.results"] as {
      id: string;
      status: string;
    }[];
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["a", "fail"],
      ["b", "success"],
      ["c", "fail"],
    ]);
  });

  it("gives each branch its own clone of the context", async () => {
    const input = inputFor(
      source.replace('join_policy="first_success", max_parallel=1', "max_parallel=3"),
      "fan",
    );
    input.context.set("shared", 1);
    const seen: RunContext[] = [];
    const outcome = (await parallelHandler.execute({
      ...input,
      runBranch: async (from, context) => {
        context.set("shared", from);
        seen.push(context);
        return {
          id: from,
          outcome: { status: "success" },
          context: context.snapshot(),
          joinedAt: "join",
        };
      },
    })) as Outcome;
    expect(outcome.status).toBe("success");
    expect(new Set(seen).size).toBe(3);
    expect(input.context.get("shared")).toBe(1);
  });
});

describe("the wait.human handler", () => {
  const source = `digraph g {
    start [shape=Mdiamond]; exit [shape=Msquare]
    gate [shape=hexagon, label="Ship?", human.default_choice="fix"]
    ship [shape=parallelogram, tool_command="true"]; fix [shape=parallelogram, tool_command="true"]
    start -> gate; gate -> ship [label="[S] Ship"]; gate -> fix [label="[F] Fix"]; ship -> exit; fix -> exit
  }`;

  it("parks without an answer, and routes on the chosen label, key or default", async () => {
    const handler = createWaitHumanHandler();
    expect(await handler.execute(inputFor(source, "gate"))).toMatchObject({
      waiting: true,
      question: { text: "Ship?", options: [{ key: "S" }, { key: "F" }] },
    });
    expect(
      await handler.execute(inputFor(source, "gate", { answer: { value: "Fix" } })),
    ).toMatchObject({ status: "success", suggested_next_ids: ["fix"], preferred_label: "[F] Fix" });
    expect(
      await handler.execute(inputFor(source, "gate", { answer: { value: "s" } })),
    ).toMatchObject({ suggested_next_ids: ["ship"] });
    expect(
      await handler.execute(inputFor(source, "gate", { answer: { value: "timeout" } })),
    ).toMatchObject({ suggested_next_ids: ["fix"] });
    expect(
      await handler.execute(inputFor(source, "gate", { answer: { value: "skipped", text: "no" } })),
    ).toMatchObject({ status: "fail", failure_reason: "rejected at gate: no" });
  });
});

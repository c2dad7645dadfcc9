import { describe, expect, it } from "vitest";
import type { Trajectory } from "./report.js";
import { describeForBuilders, scoreSatisfaction, summarizeForBuilders } from "./satisfaction.js";
import { type Scenario, scenarioSchema } from "./scenario-schema.js";

const scenario = (id: string, requirements: string[], mustPass = false): Scenario =>
  scenarioSchema.parse({
    id,
    title: `the ${id} trajectory`,
    requirements,
    must_pass: mustPass,
    product: { start: "npm start", port: 3000 },
    steps: [{ http: { path: "/secret-path", body: { amount: 4242 } } }],
  });

const trajectory = (id: string, index: number, satisfied: boolean): Trajectory => ({
  scenario: id,
  index,
  seed: `s/${id}/${index}`,
  faults: "none",
  verdict: satisfied ? "satisfied" : "unsatisfied",
  ms: 5,
  steps: [
    {
      index: 0,
      name: "the secret step",
      kind: "http",
      ms: 1,
      ok: satisfied,
      observation: { status: 500, body: { echoed: "amount 4242" } },
      ...(satisfied
        ? {}
        : {
            failure: {
              kind: "missing_field",
              message: "the answer has no $.refund_id",
              field: "$.refund_id",
            },
          }),
    },
  ],
  ...(satisfied
    ? {}
    : {
        failure: {
          step: 0,
          kind: "missing_field",
          message: "the answer has no $.refund_id",
          field: "$.refund_id",
        },
      }),
});

describe("scoreSatisfaction", () => {
  const scenarios = [scenario("happy", ["REQ-1"]), scenario("over", ["REQ-1", "REQ-3"])];

  it("scores satisfied trajectories over all, per scenario and per requirement", () => {
    const runs = [
      ...[0, 1, 2, 3].map((i) => trajectory("happy", i, true)),
      trajectory("over", 0, true),
      trajectory("over", 1, false),
    ];
    const report = scoreSatisfaction(scenarios, runs, 0.8);
    expect(report.satisfaction).toBeCloseTo(5 / 6, 4);
    expect(report.trajectories).toBe(6);
    expect(report.passed).toBe(true);
    expect(report.scenarios.map((s) => [s.id, s.satisfaction])).toEqual([
      ["happy", 1],
      ["over", 0.5],
    ]);
    expect(report.requirements).toEqual([
      { id: "REQ-1", satisfaction: 0.8333, trajectories: 6 },
      { id: "REQ-3", satisfaction: 0.5, trajectories: 2 },
    ]);
    expect(report.scenarios[1]?.failures[0]).toMatchObject({
      index: 1,
      kind: "missing_field",
      evidence: { status: 500 },
    });
  });

  it("fails on one failed trajectory of a must-pass scenario, whatever the satisfaction", () => {
    const must = [scenario("happy", ["REQ-1"], true)];
    const runs = [...Array(99).keys()].map((i) => trajectory("happy", i, i !== 42));
    const report = scoreSatisfaction(must, runs, 0.95);
    expect(report.satisfaction).toBeCloseTo(98 / 99, 3);
    expect(report.passed).toBe(false);
    expect(report.must_pass_failed).toEqual(["happy"]);
  });

  it("does not pass a run with nothing run, or with a scenario that could not run", () => {
    expect(scoreSatisfaction([], [], 0.5).passed).toBe(false);
    const broken = scoreSatisfaction(scenarios.slice(0, 1), [trajectory("happy", 0, true)], 0.5, [
      { file: "bad.yaml", message: "no twin named strpe" },
    ]);
    expect(broken.satisfaction).toBe(1);
    expect(broken.passed).toBe(false);
  });
});

describe("what builders are told", () => {
  const report = scoreSatisfaction(
    [scenario("over", ["REQ-3"])],
    [trajectory("over", 0, false), trajectory("over", 1, false), trajectory("over", 2, true)],
    0.95,
  );

  it("is requirement ids, satisfaction and failure kinds with missing fields' names, and nothing of the scenario", () => {
    const summary = summarizeForBuilders(report);
    expect(summary).toEqual({
      satisfaction: 0.3333,
      threshold: 0.95,
      passed: false,
      requirements: [
        {
          id: "REQ-3",
          satisfaction: 0.3333,
          failures: [{ kind: "missing_field", field: "$.refund_id", count: 2 }],
        },
      ],
    });
    const text = describeForBuilders(summary, new Map([["REQ-3", "WHEN the amount exceeds..."]]));
    expect(text).toContain("REQ-3 (satisfied in 33.3%): WHEN the amount exceeds...");
    expect(text).toContain("an answer lacked a field (missing: $.refund_id), 2 times");
    for (const leak of ["over", "secret", "4242", "s/over", "the answer has no"]) {
      expect(JSON.stringify(summary)).not.toContain(leak);
      expect(text).not.toContain(leak);
    }
    // The full report, which stays with the factory, does hold them: the check above can fail.
    expect(JSON.stringify(report)).toContain("4242");
  });
});

import { describe, expect, it } from "vitest";
import type { ChangedFile, ChangeFacts } from "../facts/change-facts.js";
import { cleanDependency, emptyFacts } from "../rules/empty-facts.js";
import { measureRisk } from "./measure-risk.js";
import { maxRisk } from "./risk-levels.js";

function facts(change: (f: ChangeFacts) => void = () => {}): Omit<ChangeFacts, "risk"> {
  const { risk: _, ...rest } = emptyFacts();
  change(rest as ChangeFacts);
  return rest;
}

function files(n: number): ChangedFile[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `src/f${i}.ts`,
    status: "modified" as const,
    from: "",
    additions: 1,
    deletions: 0,
    binary: false,
  }));
}

describe("measureRisk", () => {
  it("calls a small clean change low, with no reasons", () => {
    expect(measureRisk(facts(), "")).toEqual({
      declared: "",
      measured: "low",
      level: "low",
      reasons: [],
    });
  });

  it("calls protected and infrastructure paths high, naming them", () => {
    const risk = measureRisk(
      facts((f) => {
        f.change.protected = [".github/workflows/ci.yml"];
        f.change.infrastructure = ["Dockerfile"];
      }),
      "",
    );
    expect(risk.measured).toBe("high");
    expect(risk.reasons).toEqual([
      "touches protected path .github/workflows/ci.yml",
      "touches infrastructure path Dockerfile",
    ]);
  });

  it("counts lines and files against the thresholds", () => {
    const lines = (n: number) =>
      facts((f) => {
        f.change.lines_added = n - 12;
        f.change.lines_deleted = 12;
      });
    expect(measureRisk(lines(200), "").measured).toBe("low");
    expect(measureRisk(lines(412), "")).toMatchObject({
      measured: "medium",
      reasons: ["412 lines changed (more than 200)"],
    });
    expect(measureRisk(lines(801), "").measured).toBe("high");
    const many = (n: number) =>
      facts((f) => {
        f.change.files = files(n);
      });
    expect(measureRisk(many(10), "").measured).toBe("low");
    expect(measureRisk(many(11), "").reasons).toEqual(["11 files changed (more than 10)"]);
    expect(measureRisk(many(41), "").measured).toBe("high");
  });

  it("takes thresholds from its options", () => {
    const f = facts((x) => {
      x.change.lines_added = 150;
    });
    expect(measureRisk(f, "").measured).toBe("low");
    expect(measureRisk(f, "", { mediumLines: 100 }).measured).toBe("medium");
    expect(measureRisk(f, "", { highLines: 120 }).measured).toBe("high");
  });

  it("calls new dependencies medium, and high when they run install scripts", () => {
    expect(
      measureRisk(
        facts((f) => {
          f.dependencies.added.push(cleanDependency("zod"), cleanDependency("hono"));
        }),
        "",
      ),
    ).toMatchObject({ measured: "medium", reasons: ["adds dependencies zod, hono"] });
    const scripted = cleanDependency("native");
    scripted.registry.install_scripts = ["postinstall"];
    expect(
      measureRisk(
        facts((f) => {
          f.dependencies.added.push(scripted);
        }),
        "",
      ),
    ).toMatchObject({
      measured: "high",
      reasons: ["adds dependency native with install scripts (postinstall)"],
    });
  });

  it("calls weakened tests medium", () => {
    const risk = measureRisk(
      facts((f) => {
        f.tests.weakened = true;
      }),
      "",
    );
    expect(risk).toMatchObject({ measured: "medium", reasons: ["weakens or deletes tests"] });
  });

  it("raises the declared risk and never lowers it", () => {
    const protectedChange = facts((f) => {
      f.change.protected = ["src/auth/login.ts"];
    });
    expect(measureRisk(protectedChange, "low")).toMatchObject({
      declared: "low",
      measured: "high",
      level: "high",
    });
    expect(measureRisk(facts(), "high")).toMatchObject({
      declared: "high",
      measured: "low",
      level: "high",
    });
    expect(
      measureRisk(
        facts((f) => (f.tests.weakened = true)),
        "high",
      ).level,
    ).toBe("high");
    expect(measureRisk(facts(), "medium").level).toBe("medium");
    expect(
      measureRisk(
        facts((f) => (f.tests.weakened = true)),
        "low",
      ).level,
    ).toBe("medium");
  });
});

describe("maxRisk", () => {
  it("orders low < medium < high, with no declared risk below all", () => {
    expect(maxRisk("low", "high")).toBe("high");
    expect(maxRisk("high", "medium")).toBe("high");
    expect(maxRisk("medium", "low")).toBe("medium");
    expect(maxRisk("", "low")).toBe("low");
    expect(maxRisk("", "")).toBe("");
  });
});

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

function files(n: number, path = (i: number) => `src/f${i}.ts`, additions = 1): ChangedFile[] {
  return Array.from({ length: n }, (_, i) => ({
    path: path(i),
    status: "modified" as const,
    from: "",
    additions,
    deletions: 0,
    binary: false,
  }));
}

/** One file of code with `n` lines changed, 12 of them deleted. */
const codeLines = (n: number) =>
  facts((f) => {
    f.change.files = [{ ...files(1)[0], additions: n - 12, deletions: 12 } as ChangedFile];
  });

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
    expect(measureRisk(codeLines(200), "").measured).toBe("low");
    expect(measureRisk(codeLines(412), "")).toMatchObject({
      measured: "medium",
      reasons: ["412 lines of code changed (more than 200)"],
    });
    expect(measureRisk(codeLines(801), "").measured).toBe("high");
    const many = (n: number) =>
      facts((f) => {
        f.change.files = files(n);
      });
    expect(measureRisk(many(10), "").measured).toBe("low");
    expect(measureRisk(many(11), "").reasons).toEqual(["11 files changed (more than 10)"]);
    expect(measureRisk(many(41), "").measured).toBe("high");
  });

  it("does not count the lines of tests and docs: a well-tested change is no riskier", () => {
    const tested = facts((f) => {
      f.change.files = [
        ...files(1, () => "src/app.js", 100),
        ...files(1, () => "test/refunds.test.js", 700),
        ...files(1, () => "README.md", 300),
        ...files(1, () => "docs/guide/refunds.txt", 300),
      ];
    });
    expect(measureRisk(tested, "")).toMatchObject({ measured: "low", reasons: [] });
    const code = facts((f) => {
      f.change.files = files(2, (i) => `src/f${i}.js`, 150);
    });
    expect(measureRisk(code, "").reasons).toEqual(["300 lines of code changed (more than 200)"]);
  });

  it("takes thresholds from its options", () => {
    const f = codeLines(150);
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

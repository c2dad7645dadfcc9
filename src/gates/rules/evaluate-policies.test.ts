import { describe, expect, it } from "vitest";
import { WorkError } from "../../common/index.js";
import type { ChangeFacts } from "../facts/change-facts.js";
import { cleanDependency, emptyFacts } from "./empty-facts.js";
import { evaluatePolicies } from "./evaluate-policies.js";
import type { LoadedRule, RuleDecision } from "./policy-schema.js";

function rule(id: string, when: string, decision: RuleDecision, evidence = ""): LoadedRule {
  return {
    id,
    file: "test.yaml",
    line: 1,
    description: "",
    when,
    decision,
    message: `${id} fired`,
    evidence,
  };
}

const deny = rule("deny-secrets", "secrets.size() > 0", "deny");
const approve = rule("approve-protected", "change.protected.size() > 0", "require_approval");
const allowRule = rule("allow-docs", 'change.paths.all(p, p.endsWith(".md"))', "allow");

function withSecret(facts: ChangeFacts): ChangeFacts {
  facts.secrets.push({ file: "a.ts", line: 3, message: "AWS access key", rule: "aws" });
  return facts;
}

describe("evaluatePolicies", () => {
  it("allows when no rule fires, and reports each rule as a pass", () => {
    const result = evaluatePolicies([deny, approve], emptyFacts());
    expect(result).toEqual({
      decision: "allow",
      rules: [
        {
          id: "deny-secrets",
          file: "test.yaml",
          decision: "allow",
          fired: false,
          message: "",
          evidence: [],
        },
        {
          id: "approve-protected",
          file: "test.yaml",
          decision: "allow",
          fired: false,
          message: "",
          evidence: [],
        },
      ],
    });
  });

  it("combines fired rules: deny over require_approval over allow", () => {
    const facts = emptyFacts();
    facts.change.paths = ["README.md"];
    facts.change.protected = ["README.md"];
    expect(evaluatePolicies([allowRule, approve], facts).decision).toBe("require_approval");
    expect(evaluatePolicies([allowRule, approve, deny], withSecret(facts)).decision).toBe("deny");
    const onlyAllow = evaluatePolicies([allowRule, deny], emptyFacts());
    expect(onlyAllow.decision).toBe("allow");
    // An explicit allow that fires records a pass with its message; it never overrides a deny.
    expect(onlyAllow.rules[0]).toMatchObject({
      fired: true,
      decision: "allow",
      message: "allow-docs fired",
    });
    const both = evaluatePolicies([allowRule, deny], withSecret(emptyFacts()));
    expect(both.decision).toBe("deny");
  });

  it("passes int facts as CEL ints and double facts as doubles", () => {
    const facts = emptyFacts();
    facts.change.lines_added = 301;
    facts.scenarios = { ...facts.scenarios, present: true, satisfaction: 0.8, threshold: 0.95 };
    const rules = [
      rule("lines", "change.lines_added > 300", "deny"),
      rule("satisfaction", "scenarios.satisfaction < scenarios.threshold", "deny"),
      rule("whole-double", "scenarios.threshold < 1.0", "deny"),
    ];
    expect(evaluatePolicies(rules, facts).rules.map((r) => r.fired)).toEqual([true, true, true]);
    facts.change.lines_added = 300;
    facts.scenarios.satisfaction = 1;
    facts.scenarios.threshold = 1;
    expect(evaluatePolicies(rules, facts).rules.map((r) => r.fired)).toEqual([false, false, false]);
  });

  it("shows evidence as strings, fact objects included", () => {
    const facts = withSecret(emptyFacts());
    facts.dependencies.added.push(cleanDependency("left-pad"));
    const result = evaluatePolicies(
      [
        rule("s", "secrets.size() > 0", "deny", 'secrets.map(s, s.file + ":" + string(s.line))'),
        rule("lines", "secrets.size() > 0", "deny", "secrets.map(s, s.line)"),
        rule("objects", "secrets.size() > 0", "deny", "secrets"),
      ],
      facts,
    );
    expect(result.rules.map((r) => r.evidence)).toEqual([
      ["a.ts:3"],
      ["3"],
      ["{file: a.ts, line: 3, message: AWS access key, rule: aws}"],
    ]);
  });

  it("caps evidence at 50 lines and says how many were left out", () => {
    const facts = emptyFacts();
    facts.change.paths = Array.from({ length: 120 }, (_, i) => `f${i}.ts`);
    const [result] = evaluatePolicies(
      [rule("many", "change.paths.size() > 0", "deny", "change.paths")],
      facts,
    ).rules;
    expect(result?.evidence).toHaveLength(50);
    expect(result?.evidence[48]).toBe("f48.ts");
    expect(result?.evidence[49]).toBe("… and 71 more");
  });

  it("denies when a rule cannot be evaluated, with the error", () => {
    const broken = rule("first-file", 'change.files[0].path == "x"', "allow");
    const result = evaluatePolicies([broken], emptyFacts());
    expect(result.decision).toBe("deny");
    expect(result.rules[0]).toMatchObject({
      decision: "deny",
      fired: true,
      error: expect.stringContaining("index out of bounds"),
    });
    const facts = emptyFacts();
    facts.change.files.push({
      path: "x",
      status: "added",
      from: "",
      additions: 1,
      deletions: 0,
      binary: false,
    });
    expect(evaluatePolicies([broken], facts).rules[0]).toMatchObject({
      decision: "allow",
      fired: true,
    });
  });

  it("throws a clear error for facts missing a declared field", () => {
    const facts = emptyFacts() as unknown as { tests: Record<string, unknown> };
    delete facts.tests.loosened;
    expect(() => evaluatePolicies([deny], facts as unknown as ChangeFacts)).toThrowError(WorkError);
    expect(() => evaluatePolicies([deny], facts as unknown as ChangeFacts)).toThrowError(
      /tests\.loosened is missing/,
    );
    const fractional = emptyFacts();
    fractional.change.lines_added = 1.5;
    expect(() => evaluatePolicies([deny], fractional)).toThrowError(
      /change\.lines_added should be a whole number/,
    );
  });
});

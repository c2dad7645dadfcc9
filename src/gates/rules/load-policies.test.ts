import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPolicies, policyFiles } from "./load-policies.js";

function policyDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "policies-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The 1-based column of `needle` on 1-based `line` of `text`. */
function columnOf(text: string, line: number, needle: string): number {
  const index = (text.split("\n")[line - 1] ?? "").indexOf(needle);
  if (index === -1) throw new Error(`"${needle}" is not on line ${line}`);
  return index + 1;
}

const good = `version: 1
rules:
  - id: no-secrets
    when: secrets.size() > 0
    decision: deny
    message: Secrets in added lines
    evidence: 'secrets.map(s, s.file + ":" + string(s.line))'
  - id: big-change
    description: large changes need a second look
    when: change.lines_added > 500
    decision: require_approval
    message: A large change
`;

describe("loadPolicies", () => {
  it("loads and type-checks the rules of a folder's YAML files", () => {
    const dir = policyDir({ "a.yaml": good });
    const load = loadPolicies(dir);
    expect(load).toEqual({
      ok: true,
      policies: [
        {
          id: "no-secrets",
          file: join(dir, "a.yaml"),
          line: 3,
          description: "",
          when: "secrets.size() > 0",
          decision: "deny",
          message: "Secrets in added lines",
          evidence: 'secrets.map(s, s.file + ":" + string(s.line))',
        },
        expect.objectContaining({
          id: "big-change",
          line: 8,
          description: "large changes need a second look",
          evidence: "",
        }),
      ],
    });
  });

  it("treats an empty or absent policies folder as no rules, not an error", () => {
    expect(loadPolicies(policyDir({}))).toEqual({ ok: true, policies: [] });
    expect(loadPolicies(join(tmpdir(), "no-such-policies-dir-xyz"))).toEqual({
      ok: true,
      policies: [],
    });
  });

  it("refuses a rule that names a fact that does not exist, at the expression's position", () => {
    const text = `version: 1
rules:
  - id: typo
    when: secretz.size() > 0
    decision: deny
    message: m
`;
    const dir = policyDir({ "p.yaml": text });
    const load = loadPolicies(dir);
    expect(load.ok).toBe(false);
    if (load.ok) return;
    expect(load.issues).toEqual([
      {
        file: join(dir, "p.yaml"),
        rule: "typo",
        line: 4,
        column: columnOf(text, 4, "secretz"),
        message: expect.stringContaining("Unknown variable: secretz"),
        hint: expect.stringContaining('did you mean "secrets"'),
      },
    ]);
  });

  it("refuses a field that does not exist inside a macro, pointing at the field", () => {
    const text = `version: 1
rules:
  - id: named-dep
    when: dependencies.added.exists(d, d.nam == "x")
    decision: deny
    message: m
`;
    const load = loadPolicies([join(policyDir({ "p.yaml": text }), "p.yaml")]);
    if (load.ok) throw new Error("loaded a rule with a misspelt field");
    expect(load.issues).toHaveLength(1);
    expect(load.issues[0]).toMatchObject({
      rule: "named-dep",
      line: 4,
      column: columnOf(text, 4, "nam =="),
      hint: expect.stringContaining('"name"'),
    });
  });

  it("counts the quote of a quoted expression, and falls back to the key for block scalars", () => {
    const text = `version: 1
rules:
  - id: quoted
    when: "change.paths.size() > 0 && secretz"
    decision: deny
    message: m
  - id: block
    when: |
      change.paths.size() > 0 &&
      secretz.size() > 0
    decision: deny
    message: m
`;
    const load = loadPolicies([join(policyDir({ "p.yaml": text }), "p.yaml")]);
    if (load.ok) throw new Error("loaded bad rules");
    expect(load.issues.map((i) => [i.rule, i.line, i.column])).toEqual([
      ["quoted", 4, columnOf(text, 4, "secretz")],
      ["block", 8, columnOf(text, 8, "when")],
    ]);
  });

  it("requires when to be a bool and evidence to be a list", () => {
    const text = `version: 1
rules:
  - id: not-bool
    when: change.lines_added
    decision: deny
    message: m
  - id: not-list
    when: "true"
    decision: deny
    message: m
    evidence: change.base
`;
    const load = loadPolicies([join(policyDir({ "p.yaml": text }), "p.yaml")]);
    if (load.ok) throw new Error("loaded badly typed rules");
    expect(load.issues.map((i) => [i.rule, i.line, i.message])).toEqual([
      [
        "not-bool",
        4,
        expect.stringContaining("must be true or false, but this expression is a int"),
      ],
      ["not-list", 11, expect.stringContaining("must be a list, but this expression is a string")],
    ]);
  });

  it("reports CEL syntax errors, YAML syntax errors and unknown keys with their place", () => {
    const dir = policyDir({
      "a-cel.yaml":
        "version: 1\nrules:\n  - id: x\n    when: secrets.size() >\n    decision: deny\n    message: m\n",
      "b-yaml.yaml": "version: 1\nrules:\n  - id: [x\n",
      "c-keys.yaml":
        "version: 1\nrules:\n  - id: y\n    when: 'true'\n    decison: deny\n    message: m\n",
    });
    const load = loadPolicies(dir);
    if (load.ok) throw new Error("loaded broken files");
    const byFile = Object.fromEntries(load.issues.map((i) => [i.file.slice(dir.length + 1), i]));
    expect(byFile["a-cel.yaml"]).toMatchObject({
      rule: "x",
      line: 4,
      message: expect.stringContaining("Unexpected token"),
    });
    expect(byFile["b-yaml.yaml"]).toMatchObject({ line: expect.any(Number) });
    expect(load.issues.filter((i) => i.file.endsWith("c-keys.yaml"))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: "y",
          line: 5,
          column: 5,
          message: expect.stringContaining('unknown field "decison"'),
          hint: 'did you mean "decision"?',
        }),
      ]),
    );
  });

  it("refuses a rule id used twice, even across files, and ids that are not kebab-case", () => {
    const dir = policyDir({
      "a.yaml": good,
      "b.yaml":
        "version: 1\nrules:\n  - id: no-secrets\n    when: 'false'\n    decision: allow\n    message: m\n",
      "c.yaml":
        "version: 1\nrules:\n  - id: No_Secrets\n    when: 'false'\n    decision: allow\n    message: m\n",
    });
    const load = loadPolicies(dir);
    if (load.ok) throw new Error("loaded duplicate ids");
    expect(load.issues).toEqual([
      expect.objectContaining({
        file: join(dir, "b.yaml"),
        rule: "no-secrets",
        line: 3,
        message: `rule id "no-secrets" is already used in ${join(dir, "a.yaml")}:3`,
      }),
      expect.objectContaining({
        file: join(dir, "c.yaml"),
        rule: "No_Secrets",
        line: 3,
        message: expect.stringContaining("kebab-case"),
      }),
    ]);
  });

  it("refuses an empty file and a file of another version", () => {
    const dir = policyDir({ "a.yaml": "", "b.yaml": "version: 2\nrules: []\n" });
    const load = loadPolicies(dir);
    if (load.ok) throw new Error("loaded an empty file");
    expect(load.issues.map((i) => [i.file.slice(dir.length + 1), i.line])).toEqual([
      ["a.yaml", 1],
      ["b.yaml", 1],
    ]);
    expect(load.issues[0]?.message).toBe("the policy file is empty");
  });
});

describe("policyFiles", () => {
  it("lists policies/*.yaml and *.yml sorted, skipping other files", () => {
    const home = mkdtempSync(join(tmpdir(), "home-"));
    mkdirSync(join(home, "policies"));
    for (const name of ["z.yaml", "a.yml", "architecture.json", "notes.md", "m.yaml"]) {
      writeFileSync(join(home, "policies", name), "");
    }
    expect(policyFiles(home)).toEqual(
      ["a.yml", "m.yaml", "z.yaml"].map((n) => join(home, "policies", n)),
    );
    expect(policyFiles(mkdtempSync(join(tmpdir(), "home-")))).toEqual([]);
  });
});

describe("load hints", () => {
  it("lists the facts when a name is nothing like any of them", () => {
    const text =
      "version: 1\nrules:\n  - id: far\n    when: quarterly_revenue > 0\n    decision: deny\n    message: m\n";
    const load = loadPolicies([join(policyDir({ "p.yaml": text }), "p.yaml")]);
    if (load.ok) throw new Error("loaded an unknown fact");
    expect(load.issues[0]?.hint).toBe(
      'no fact is called "quarterly_revenue"; the facts are change, tests, dependencies, secrets, analysis, architecture, scenarios, evaluation, cost, risk',
    );
  });
});

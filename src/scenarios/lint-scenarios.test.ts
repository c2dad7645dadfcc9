import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { lintScenarioFiles } from "./lint-scenarios.js";

const ACME = fileURLToPath(new URL("../../examples/acme/factory/scenarios", import.meta.url));
const TWINS = ["stripe", "github", "slack", "npm-registry", "openai", "anthropic"];
const REQUIREMENTS = new Set(["REQ-1", "REQ-2", "REQ-3", "REQ-4", "REQ-5"]);

const folder = mkdtempSync(join(tmpdir(), "df-scenarios-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

const PRODUCT = `product: { start: npm start, port: 3000, env: { STRIPE_BASE_URL: "{{twins.stripe.url}}" } }
twins: [{ name: stripe }]
`;

describe("lintScenarioFiles", () => {
  it("accepts the acme example's six scenarios, which cover every refunds requirement", () => {
    const files = readdirSync(ACME)
      .filter((name) => name.endsWith(".yaml"))
      .map((name) => join(ACME, name));
    const results = lintScenarioFiles(files, { twins: TWINS, requirements: REQUIREMENTS });
    expect(results.flatMap((r) => r.diagnostics)).toEqual([]);
    expect(results).toHaveLength(6);
    const covered = new Set(results.flatMap((r) => r.scenario?.requirements ?? []));
    expect(covered).toEqual(REQUIREMENTS);
  });

  it("locates schema errors by file, line and field", () => {
    const bad = file(
      "bad.yaml",
      `id: Bad_Id
title: t
requirements: [REQ-1]
${PRODUCT}steps:
  - http: { method: FETCH, path: refunds }
`,
    );
    const [result] = lintScenarioFiles([bad], { twins: TWINS });
    const problems = result?.diagnostics.map((d) => `${d.line}:${d.path}`) ?? [];
    expect(problems).toEqual(
      expect.arrayContaining(["1:id", "7:steps.0.http.method", "7:steps.0.http.path"]),
    );
    expect(result?.scenario).toBeUndefined();
  });

  it("finds what the schema cannot: twins, variables, fault profiles, ids and requirements", () => {
    const first = file(
      "first.yaml",
      `id: same
title: uses what does not exist
requirements: [REQ-1, REQ-9]
product: { start: npm start, port: 3000, env: { SLACK_BASE_URL: "{{twins.slack.url}}" } }
twins:
  - { name: stripe, faults: [none, missing.yaml] }
  - { name: strpe }
steps:
  - http:
      path: /refunds/{{refund}}
      capture: { payment: $.id }
  - http: { path: "/payments/{{payment}}" }
  - twin: { twin: slack, advance_clock_ms: 1000 }
`,
    );
    const second = file(
      "second.yaml",
      `id: same
title: another with the same id
requirements: [REQ-1]
${PRODUCT}steps:
  - http: { path: /health }
`,
    );
    const [one, two] = lintScenarioFiles([first, second], {
      twins: TWINS,
      requirements: REQUIREMENTS,
    });
    const found = one?.diagnostics.map((d) => `${d.rule}@${d.line}`) ?? [];
    expect(found).toEqual(
      expect.arrayContaining([
        "unknown-requirement@3",
        "unknown-variable@4",
        "fault-profile-missing@6",
        "unknown-twin@7",
        "unknown-variable@10",
        "twin-not-listed@13",
      ]),
    );
    // A variable captured by an earlier step is set; only the one used before it is not.
    expect(found.filter((f) => f.startsWith("unknown-variable"))).toHaveLength(2);
    expect(one?.diagnostics.find((d) => d.rule === "unknown-requirement")?.severity).toBe(
      "warning",
    );
    expect(two?.diagnostics.map((d) => d.rule)).toEqual(["duplicate-id"]);
  });

  it("refuses a twin step that does two things, and a YAML syntax error, by line", () => {
    const both = file(
      "both.yaml",
      `id: both
title: t
requirements: [REQ-1]
${PRODUCT}steps:
  - twin: { twin: stripe, advance_clock_ms: 5, faults: { rules: [] } }
`,
    );
    const broken = file("broken.yaml", "id: [unclosed\n");
    const [a, b] = lintScenarioFiles([both, broken], { twins: TWINS });
    expect(a?.diagnostics[0]).toMatchObject({
      line: 7,
      message: expect.stringContaining("one thing"),
    });
    expect(b?.diagnostics[0]?.severity).toBe("error");
    expect(b?.diagnostics[0]?.file).toBe(broken);
  });
});

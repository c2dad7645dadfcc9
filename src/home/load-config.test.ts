import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "./load-config.js";
import { factoryYamlTemplate } from "./template.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "df-config-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const parse = (text: string) => parseConfig(text, join(dir, "factory.yaml"));
const minimal = "version: 1\nproduct:\n  repo: ./product\n";

describe("parseConfig", () => {
  it("normalises paths, durations and defaults", () => {
    mkdirSync(join(dir, "product", ".git"), { recursive: true });
    const result = parse(`${minimal}budgets:\n  bolt: { wall_time: 2h, usd: 10 }\n`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    expect(result.value.product).toEqual({
      repo: join(dir, "product"),
      mainBranch: "main",
      commands: {},
    });
    expect(result.value.budgets.bolt).toEqual({ usd: 10, wallTimeMs: 7_200_000 });
    expect(result.value.risk.default).toBe("medium");
  });

  it("accepts the template that init writes, warning that the product is not there yet", () => {
    const result = parse(factoryYamlTemplate);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.warnings.map((w) => [w.rule, w.line])).toEqual([["product-repo-missing", 6]]);
  });

  it("warns when the product folder is not a git repository", () => {
    mkdirSync(join(dir, "product"));
    const result = parse(minimal);
    expect(result.ok && result.warnings.map((w) => w.rule)).toEqual(["product-repo-not-git"]);
  });

  it("refuses a missing or unknown version, at its line", () => {
    expect(parse("product: { repo: x }\n")).toMatchObject({
      ok: false,
      issues: [{ rule: "version", line: 1 }],
    });
    expect(parse("# c\nversion: 2\n")).toMatchObject({
      ok: false,
      issues: [{ rule: "version", line: 2, column: 10 }],
    });
  });

  it("names a misspelt key with its line and the key it probably meant", () => {
    const result = parse(`${minimal}budgets:\n  bolt: { usd: 1 }\n  tsak: { usd: 1 }\n`);
    expect(result).toMatchObject({
      ok: false,
      issues: [
        {
          rule: "schema",
          line: 6,
          column: 3,
          message: 'unknown field "tsak" in budgets',
          hint: 'did you mean "task"?',
        },
      ],
    });
  });

  it("reports an agent missing its model and an unknown driver", () => {
    const result = parse(
      `${minimal}agents:\n  builder: { driver: llm, provider: openai }\n  planner: { driver: magic }\n`,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.path, i.line])).toEqual(
      expect.arrayContaining([
        ["agents.builder.model", 5],
        ["agents.planner.driver", 6],
      ]),
    );
  });

  it("checks rules that need the whole file: budgets and approval stages", () => {
    const result = parse(
      `${minimal}budgets:\n  bolt: { usd: 1, wall_time: 10m }\n  task: { usd: 5, wall_time: 1 week }\nrisk:\n  approvals:\n    high: [plan, relase]\n`,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byRule = Object.fromEntries(
      result.issues.map((i) => [i.rule === "budget-range" ? "budget-range" : i.rule, i]),
    );
    expect(byRule["budget-task-exceeds-bolt"]).toMatchObject({ line: 6, path: "budgets.task.usd" });
    expect(byRule["budget-range"]).toMatchObject({ line: 6, path: "budgets.task.wall_time" });
    expect(byRule["unknown-stage"]).toMatchObject({
      line: 9,
      column: 18,
      hint: 'did you mean "release"?',
    });
  });

  it("refuses a secret pasted into the file, wherever it is", () => {
    const result = parse(
      `${minimal}agents:\n  builder: { driver: llm, provider: openai, model: m, api_key_env: sk-proj-abcdefghijklmnopqrstuvwxyz }\n`,
    );
    expect(result).toMatchObject({
      ok: false,
      issues: [{ rule: "secret-in-config", line: 5, path: "agents.builder.api_key_env" }],
    });
  });

  it("reads model prices and normalises them to USD per million tokens", () => {
    const result = parse(
      `${minimal}pricing:\n  gpt-4o: { input_per_mtok: 2.5, output_per_mtok: 10 }\n  "llama3.1:8b":\n    input_per_mtok: 0\n    output_per_mtok: 0\n`,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.pricing).toEqual({
      "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
      "llama3.1:8b": { inputPerMTok: 0, outputPerMTok: 0 },
    });
    const bare = parse(minimal);
    expect(bare.ok && bare.value.pricing).toEqual({});
  });

  it("names the field of a bad price, at its line", () => {
    const result = parse(
      `${minimal}pricing:\n  gpt-4o: { input_per_mtok: -1, output_per_mtk: 10 }\n  o3: { input_per_mtok: "2 dollars", output_per_mtok: 8 }\n`,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.issues.map((i) => [i.path, i]));
    expect(byPath["pricing.gpt-4o.input_per_mtok"]).toMatchObject({
      rule: "schema",
      line: 5,
      message: expect.stringContaining("cannot be negative"),
    });
    expect(byPath["pricing.o3.input_per_mtok"]).toMatchObject({
      line: 6,
      message: expect.stringContaining("dollars per million tokens"),
    });
    expect(byPath["pricing.gpt-4o.output_per_mtok"]).toMatchObject({ line: 5 });
    expect(result.issues).toContainEqual(
      expect.objectContaining({
        line: 5,
        message: expect.stringContaining("output_per_mtk"),
        hint: 'did you mean "output_per_mtok"?',
      }),
    );
  });

  it("reports YAML syntax errors with their line", () => {
    expect(parse(`${minimal}budgets: [\n`)).toMatchObject({
      ok: false,
      issues: [{ rule: "yaml-syntax" }],
    });
  });
});

describe("loadConfig", () => {
  it("throws an input error naming the file when it cannot be read", () => {
    expect(() => loadConfig(join(dir, "nope.yaml"))).toThrow(
      expect.objectContaining({ code: "config-unreadable", exitCode: 2 }),
    );
  });

  it("loads the shipped acme example cleanly; its product becomes a git repository only at init", () => {
    const result = loadConfig(
      new URL("../../examples/acme/factory/factory.yaml", import.meta.url).pathname,
    );
    expect(result.ok && result.warnings.map((w) => w.rule)).toEqual(["product-repo-not-git"]);
  });
});

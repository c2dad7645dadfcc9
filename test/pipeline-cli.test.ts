// `factory pipeline validate` as a user meets it, and fuzzed: whatever the file holds, the
// command ends with exit 0 or 2 and every problem has a position, never a crash or a hang.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/index.js";
import { factory, projectRoot } from "./support/factory-cli.js";

const fixtures = join(projectRoot, "test", "fixtures");
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "df-pipeline-cli-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Validation {
  ok: boolean;
  errors: number;
  diagnostics: { rule: string; severity: string; line: number; column: number; hint?: string }[];
}

async function validateInProcess(file: string): Promise<{ code: number; doc: Validation }> {
  let stdout = "";
  const code = await runCli(["pipeline", "validate", file, "--json"], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
    cwd: work,
    env: { PATH: process.env.PATH ?? "" },
  });
  return { code, doc: JSON.parse(stdout) as Validation };
}

describe("factory pipeline validate", () => {
  it("passes a valid graph with exit 0", async () => {
    const run = await factory(["pipeline", "validate", join(fixtures, "ten-nodes.dot")], {
      cwd: work,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ten-nodes\.dot: 10 nodes, 10 edges, 0 errors/);
  });

  const expected: Record<string, [string, number, number]> = {
    "undirected.dot": ["dot-syntax", 1, 1],
    "strict.dot": ["dot-syntax", 1, 1],
    "two-graphs.dot": ["dot-syntax", 2, 1],
    "missing-comma.dot": ["dot-syntax", 2, 25],
    "unterminated.dot": ["dot-syntax", 1, 11],
    "no-start.dot": ["start_node", 1, 1],
  };
  it.each(Object.keys(expected))(
    "refuses broken/%s with exit 2 at its line and column",
    async (name) => {
      const [rule, line, column] = expected[name] ?? ["", 0, 0];
      const { code, doc } = await validateInProcess(join(fixtures, "broken", name));
      expect(code).toBe(2);
      expect(doc.ok).toBe(false);
      expect(doc.diagnostics.find((d) => d.severity === "error")).toMatchObject({
        rule,
        line,
        column,
        hint: expect.any(String),
      });
    },
  );

  it("covers every broken fixture", () => {
    expect(readdirSync(join(fixtures, "broken")).sort()).toEqual(Object.keys(expected).sort());
  });

  it("prints the first error with file:line:col through the real binary", async () => {
    const run = await factory(
      ["pipeline", "validate", join(fixtures, "broken", "missing-comma.dot")],
      { cwd: work },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      "missing-comma.dot:2:25 error dot-syntax: missing comma between attributes",
    );
  });

  it("exits 2 for a file that does not exist", async () => {
    const run = await factory(["pipeline", "validate", "nope.dot", "--json"], { cwd: work });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      error: { code: "pipeline-not-found" },
    });
  });
});

describe("fuzzed pipelines through the CLI", () => {
  const seedText = readFileSync(join(fixtures, "ten-nodes.dot"), "utf8");
  const mutation = fc.array(
    fc.record({
      at: fc.nat(seedText.length),
      kind: fc.constantFrom("delete", "insert", "swap"),
      char: fc.constantFrom(...'{}[]"=,;->/*\n abc'),
    }),
    { minLength: 1, maxLength: 6 },
  );

  it("always ends with exit 0 or 2, every error located inside the text", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (edits) => {
        let text = seedText;
        for (const edit of edits) {
          const at = Math.min(edit.at, text.length);
          if (edit.kind === "delete") text = text.slice(0, at) + text.slice(at + 1);
          else if (edit.kind === "insert") text = text.slice(0, at) + edit.char + text.slice(at);
          else text = text.slice(0, at) + edit.char + text.slice(at + 1);
        }
        const file = join(work, `fuzz-${n++}.dot`);
        writeFileSync(file, text);
        const { code, doc } = await validateInProcess(file);
        expect([0, 2]).toContain(code);
        expect(code === 2).toBe(doc.errors > 0);
        const lines = text.split("\n");
        for (const d of doc.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines.length + 1);
          expect(d.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 150, seed: 20261125 },
    );
  });
});

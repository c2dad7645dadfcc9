/**
 * Fuzzing the loader: mutated spec examples and random DOT-ish text must never throw, must
 * finish, and every diagnostic must point inside the text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../load-pipeline.js";
import { SPEC_EXAMPLES } from "./examples.fixture.js";

const RUNS = { numRuns: 300, seed: 20_240_601 };
const CORPUS = Object.values(SPEC_EXAMPLES);
/** The characters the grammar cares about, and a few it refuses. */
const ALPHABET = [...'{}[]=,;->"\\/*\n #<:.+ abAZ_09é'];

type Mutation =
  | { kind: "delete" | "duplicate" | "swap"; at: number; length: number }
  | { kind: "insert"; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("delete" as const, "duplicate" as const, "swap" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 4 }),
  }),
);

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % text.length;
  if (m.kind === "insert") return text.slice(0, at) + m.text + text.slice(at);
  const piece = text.slice(at, at + m.length);
  if (m.kind === "delete") return text.slice(0, at) + text.slice(at + m.length);
  if (m.kind === "duplicate") return text.slice(0, at) + piece + text.slice(at);
  // swap this piece with the one after it
  const next = text.slice(at + m.length, at + 2 * m.length);
  return text.slice(0, at) + next + piece + text.slice(at + 2 * m.length);
}

const mutated = fc
  .tuple(fc.constantFrom(...CORPUS), fc.array(mutation, { minLength: 1, maxLength: 8 }))
  .map(([text, mutations]) => mutations.reduce(mutate, text));

/** Loads `text` and checks every diagnostic lies within it; returns nothing, throws on failure. */
function loadsAndLocates(text: string): void {
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  const loaded = loadPipeline(text, "fuzz.dot");
  expect(loaded.ok).toBe(!loaded.diagnostics.some((d) => d.severity === "error"));
  for (const d of loaded.diagnostics) {
    const where = `${d.rule} at ${d.line}:${d.column} in ${JSON.stringify(text)}`;
    expect(d.line, where).toBeGreaterThanOrEqual(1);
    expect(d.line, where).toBeLessThanOrEqual(lines.length);
    expect(d.column, where).toBeGreaterThanOrEqual(1);
    expect(d.column, where).toBeLessThanOrEqual((lines[d.line - 1] ?? "").length + 1);
    expect(d.message, where).not.toBe("");
  }
}

describe("loadPipeline under fuzzing", () => {
  it("never throws and locates every diagnostic inside mutated spec examples", () => {
    fc.assert(fc.property(mutated, loadsAndLocates), RUNS);
  });

  it("never throws on random text over the grammar's alphabet", () => {
    const noise = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 200 });
    fc.assert(fc.property(noise, loadsAndLocates), RUNS);
    fc.assert(
      fc.property(noise, (inner) => loadsAndLocates(`digraph G {\n${inner}\n}`)),
      RUNS,
    );
  });

  it("parses and validates a large pipeline in linear-ish time", () => {
    const n = 20_000;
    const ids = Array.from({ length: n }, (_, i) => `n${i}`);
    const text = `digraph Big {\n  start [shape=Mdiamond]\n  exit [shape=Msquare]\n${ids
      .map((id) => `  ${id} [prompt="step ${id}", max_visits=2]\n`)
      .join("")}  start -> ${ids.join(" -> ")} -> exit\n  n${n - 1} -> n0\n}`;
    const began = performance.now();
    const loaded = loadPipeline(text, "big.dot");
    const elapsed = performance.now() - began;
    expect(loaded.ok).toBe(true);
    expect(loaded.graph?.edges).toHaveLength(n + 2);
    expect(elapsed).toBeLessThan(10_000);
  });

  it("survives Object.prototype member names wherever a name or value can go", () => {
    const names = Object.getOwnPropertyNames(Object.prototype).filter(
      (n) => /^\w+$/.test(n) && n !== "__proto__",
    );
    expect(names).toContain("constructor");
    for (const n of names) {
      const text = `digraph G {
        ${n} = x
        graph [model_stylesheet="#${n} { llm_model: m } .${n} { llm_provider: p } ${n} { reasoning_effort: low }"]
        start [shape=Mdiamond]  exit [shape=Msquare]
        ${n} [${n}=1, shape=${n}, type=${n}, class=${n}, fidelity=${n}, retry_target=${n}, prompt=x]
        a [prompt=y, shape=${n}]
        start -> ${n} -> a -> exit [condition="${n}=1 && context.${n}", ${n}=2]
      }`;
      loadsAndLocates(text);
      const loaded = loadPipeline(text, "proto.dot");
      expect(loaded.graph?.nodes.get(n)?.attrs.llm_model, n).toBe("m");
      expect(loaded.graph?.nodes.get("a")?.attrs.reasoning_effort, n).toBe("low");
    }
    expect(loadPipeline("digraph G { a [__proto__=1] }", "p.dot").diagnostics[0]?.message).toBe(
      "attribute name __proto__ is reserved",
    );
  });

  it("survives an unterminated string or comment at the very end", () => {
    for (const tail of ['"', "/*", "\\", "-", "[", "a=", "<"])
      loadsAndLocates(`digraph G { a [label=x] ${tail}`);
  });
});

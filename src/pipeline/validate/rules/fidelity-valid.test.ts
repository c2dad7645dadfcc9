import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("fidelity_valid", () => {
  it("warns about fidelity on nodes and edges and default_fidelity on the graph, at the value", () => {
    const text = cleanWith(
      "default_fidelity=summary",
      'n [fidelity="summary:hi", prompt=x]',
      "work -> n [fidelity=ful]",
    );
    const diagnostics = lint(text);
    expect(where(diagnostics, "fidelity_valid")).toEqual(["6:20", "7:16", "8:23"]);
    expect(only(diagnostics, "fidelity_valid").map((d) => d.hint)).toEqual([
      "use one of full, truncate, compact, summary:low, summary:medium, summary:high",
      "did you mean summary:high?",
      "did you mean full?",
    ]);
    expect(only(diagnostics, "fidelity_valid")[2]?.edge).toEqual({ from: "work", to: "n" });
  });

  it("accepts the six modes", () => {
    expect(where(lint(CLEAN), "fidelity_valid")).toEqual([]);
    const modes = ["full", "truncate", "compact", "summary:low", "summary:medium", "summary:high"];
    const text = cleanWith(...modes.map((m, i) => `n${i} [fidelity="${m}", prompt=x]`));
    expect(where(lint(text), "fidelity_valid")).toEqual([]);
  });
});

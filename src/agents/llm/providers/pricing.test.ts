import { describe, expect, it } from "vitest";
import { costOf } from "../provider.js";
import { defaultPrices, priceOf } from "./pricing.js";

describe("priceOf", () => {
  it("knows a few current models out of the box", () => {
    expect(priceOf("gpt-4o")).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10 });
    expect(priceOf("claude-sonnet-4-5")).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
    for (const price of Object.values(defaultPrices)) {
      expect(price.inputPerMTok).toBeGreaterThan(0);
      expect(price.outputPerMTok).toBeGreaterThan(price.inputPerMTok);
    }
  });

  it("lets factory.yaml's pricing override the table and price models it does not know", () => {
    const config = {
      pricing: {
        "gpt-4o": { inputPerMTok: 1, outputPerMTok: 2 },
        "llama3.1:8b": { inputPerMTok: 0, outputPerMTok: 0 },
      },
    };
    expect(priceOf("gpt-4o", config)).toEqual({ inputPerMTok: 1, outputPerMTok: 2 });
    expect(priceOf("llama3.1:8b", config)).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
    expect(priceOf("gpt-4o-mini", config)).toEqual(defaultPrices["gpt-4o-mini"]);
  });

  it("prices a dated snapshot as its family, the config's price first", () => {
    expect(priceOf("gpt-4.1-2025-04-14")).toEqual(defaultPrices["gpt-4.1"]);
    expect(priceOf("claude-sonnet-4-5-20250929")).toEqual(defaultPrices["claude-sonnet-4-5"]);
    const config = { pricing: { "gpt-4.1": { inputPerMTok: 9, outputPerMTok: 9 } } };
    expect(priceOf("gpt-4.1-2025-04-14", config)).toEqual({ inputPerMTok: 9, outputPerMTok: 9 });
  });

  it("returns undefined for an unknown model, which then costs 0", () => {
    expect(priceOf("my-finetune")).toBeUndefined();
    expect(priceOf("constructor")).toBeUndefined();
    expect(priceOf("toString", { pricing: {} })).toBeUndefined();
    expect(costOf({ inputTokens: 1e6, outputTokens: 1e6 }, priceOf("my-finetune"))).toBe(0);
  });

  it("feeds costOf in USD per million tokens", () => {
    const price = priceOf("gpt-4o");
    expect(costOf({ inputTokens: 2_000_000, outputTokens: 500_000 }, price)).toBeCloseTo(10);
  });
});

/** What a model's tokens cost: factory.yaml's `pricing` first, then a small built-in table. */
import type { ModelPrice } from "../provider.js";

/**
 * USD per million tokens from the vendors' price pages, November 2026. Prices change and new
 * models appear: `pricing` in factory.yaml overrides or extends this table.
 */
export const defaultPrices: Readonly<Record<string, ModelPrice>> = {
  "claude-opus-5-5": { inputPerMTok: 4, outputPerMTok: 20 },
  "claude-sonnet-5-5": { inputPerMTok: 2, outputPerMTok: 10 },
  "claude-opus-4-6": { inputPerMTok: 5, outputPerMTok: 25 },
  "claude-sonnet-4-6": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-opus-4-5": { inputPerMTok: 5, outputPerMTok: 25 },
  "claude-sonnet-4-5": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
  "gpt-5.4": { inputPerMTok: 2.5, outputPerMTok: 15 },
  "gpt-5.4-mini": { inputPerMTok: 0.75, outputPerMTok: 4.5 },
  "gpt-5.4-nano": { inputPerMTok: 0.2, outputPerMTok: 1.25 },
  "gpt-5": { inputPerMTok: 1.25, outputPerMTok: 10 },
  "gpt-5-mini": { inputPerMTok: 0.25, outputPerMTok: 2 },
  "gpt-4.1": { inputPerMTok: 2, outputPerMTok: 8 },
  "gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
  "gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 },
};

/** The part of the factory's config that prices models (`FactoryConfig` has it). */
export interface PricingConfig {
  pricing?: Readonly<Record<string, ModelPrice>>;
}

/**
 * The price of `model`, or `undefined` when neither the config nor the built-in table knows it
 * (a local model, a new release), so the caller can report the run as unpriced rather than
 * free. A dated snapshot (`gpt-4.1-2025-04-14`, `claude-sonnet-4-5-20250929`), as vendors name
 * the model that answered, takes its family's price.
 */
export function priceOf(model: string, config?: PricingConfig): ModelPrice | undefined {
  const names = [model, model.replace(/-(\d{8}|\d{4}-\d{2}-\d{2})$/, "")];
  for (const table of [config?.pricing ?? {}, defaultPrices])
    for (const name of names) if (Object.hasOwn(table, name)) return table[name];
  return undefined;
}

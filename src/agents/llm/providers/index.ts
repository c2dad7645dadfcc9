/**
 * Provider adapters behind the `LlmProvider` contract (DESIGN §4): `openai` (and every
 * OpenAI-compatible server) and `anthropic`, the factory that picks one from factory.yaml, and
 * what their tokens cost.
 */
export {
  ANTHROPIC_BASE_URL,
  type AnthropicProviderOptions,
  createAnthropicProvider,
} from "./anthropic/anthropic-provider.js";
export {
  type CreateProviderOptions,
  createProvider,
  type ProviderConfig,
  type ProviderEnv,
} from "./create-provider.js";
export { DEFAULT_TIMEOUT_MS } from "./defaults.js";
export {
  createOpenAiProvider,
  OPENAI_BASE_URL,
  type OpenAiProviderOptions,
} from "./openai/openai-provider.js";
export { defaultPrices, type PricingConfig, priceOf } from "./pricing.js";

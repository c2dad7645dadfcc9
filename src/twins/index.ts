/** Digital twins: the runtime that runs them, and the built-in twins. */

export { type AnthropicMessage, anthropicTwin } from "./builtin/anthropic/index.js";
export {
  type LlmCassette,
  type LlmState,
  type LlmTurn,
  llmCassetteSchema,
  parseLlmCassette,
  readLlmCassette,
} from "./builtin/llm/index.js";
export { type ChatCompletion, openaiTwin } from "./builtin/openai/index.js";
export {
  type Difference,
  diffCassette,
  type Interaction,
  readCassette,
  recordCassette,
  replayCassette,
} from "./cassette.js";
export { loadFaultProfile } from "./load-faults.js";
export { loadOpenApiTwinFile, openApiTwin } from "./openapi/index.js";
export type {
  JournalEntry,
  RateLimitState,
  SeededRandom,
  TwinClock,
  TwinContext,
  TwinDefinition,
  VendorErrors,
} from "./runtime/contract.js";
export {
  type CreateTwinOptions,
  createTwin,
  type ServedTwin,
  type Twin,
  type TwinSnapshot,
} from "./runtime/create-twin.js";
export { type FaultProfile, faultProfileSchema } from "./runtime/faults.js";
export { createSeededRandom } from "./runtime/seeded-random.js";
export { availableTwins, serveTwins, type TwinServeOptions } from "./serve-twins.js";

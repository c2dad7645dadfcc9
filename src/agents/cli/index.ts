/** The `cli` driver: external coding agents run headless in the sandbox, their streams parsed. */
export { cliAdapters } from "./adapters/index.js";
export { credentialsFromEnv } from "./adapters/provider-env.js";
export { buildPrompt } from "./build-prompt.js";
export {
  type CliAdapter,
  type CliBudget,
  type CliCommand,
  type CliCredentials,
  type CliInvocation,
  cliCommands,
} from "./cli-adapter.js";
export {
  type CliAgentReport,
  type CliDriver,
  type CliDriverConfig,
  type CliDriverDeps,
  createCliDriver,
} from "./cli-driver.js";
export type { CliStop } from "./judge-run.js";
export { type OtherToolCall, StreamState } from "./stream-state.js";

export {
  type AgentConfig,
  type AgentRole,
  agentRoles,
  approvalStages,
  type Budget,
  defaultGatesConfig,
  defaultInfrastructurePaths,
  defaultProtectedPaths,
  type FactoryConfig,
  factoryConfigSchema,
  type PrincipalRole,
  principalRoles,
  type Quorum,
} from "./config-schema.js";
export { ConfigInvalidError, HomeNotFoundError } from "./errors.js";
export { type FindHomeOptions, findHome } from "./find-home.js";
export {
  type InitHomeOptions,
  type InitHomeResult,
  initHome,
  listExampleHomes,
} from "./init-home.js";
export { homeLayout } from "./layout.js";
export { loadConfig, parseConfig } from "./load-config.js";
export { type Home, type OpenHomeOptions, openHome } from "./open-home.js";

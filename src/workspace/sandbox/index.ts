export {
  type Bridge,
  type BridgedUrls,
  type BridgeTarget,
  bridgeTargets,
  bridgeUrls,
  openBridge,
  urlInside,
} from "./bridge.js";
export { type BwrapSandboxOptions, createBwrapSandbox } from "./bwrap-sandbox.js";
export { createSandbox, detectSandbox, type SandboxDetection } from "./detect-sandbox.js";
export { grantWorktreeAccess } from "./grant-worktree.js";
export { createProcessSandbox } from "./process-sandbox.js";
export {
  SANDBOX_DEFAULTS,
  type Sandbox,
  type SandboxResult,
  type SandboxRun,
} from "./sandbox.js";
export { openPathForSandboxUser, SANDBOX_GID, SANDBOX_UID } from "./sandbox-user.js";

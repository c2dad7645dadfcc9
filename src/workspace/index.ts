/** Workspace: git worktrees run by the orchestrator, the sandbox for agents' commands, and confined file tools. */
export * from "./files/index.js";
export { createGit, type Git, type GitResult } from "./git/git.js";
export * from "./sandbox/index.js";

/** Confined file tools: what an agent may read and change in its worktree, and nothing else. */
export { createFileTools } from "./create-file-tools.js";
export type {
  EditOptions,
  EditValue,
  FileToolName,
  FileTools,
  FileToolsOptions,
  ListEntry,
  ListOptions,
  ListValue,
  ReadOptions,
  ReadValue,
  Refusal,
  RefusalReason,
  SearchMatch,
  SearchOptions,
  SearchValue,
  ToolError,
  ToolResult,
  WriteValue,
} from "./types.js";

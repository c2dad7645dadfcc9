/** The contract of the confined file tools an agent uses on its worktree (DESIGN §4-5). */

/** Why a file tool refused or failed. Every one of these is reported to `onRefusal`. */
export type RefusalReason =
  | "outside"
  | "symlink"
  | "git"
  | "not-found"
  | "too-large"
  | "binary"
  | "no-match"
  | "ambiguous";

export type FileToolName = "read" | "list" | "search" | "write" | "edit";

export interface ToolError {
  reason: RefusalReason;
  message: string;
}

/** What the caller audits: which tool, the path the agent gave (clipped when huge), and why. */
export interface Refusal extends ToolError {
  tool: FileToolName;
  path: string;
}

/** Tools never throw for anything the agent did; they return this. */
export type ToolResult<T> = { ok: true; value: T } | { ok: false; error: ToolError };

export interface FileToolsOptions {
  /** Absolute path of the worktree the agent is confined to. */
  worktree: string;
  /** Called once for every refused or failed call, before the result is returned. */
  onRefusal?: (refusal: Refusal) => void;
  /** Largest file `read`, `search` and `edit` will load. Default 1 MiB. */
  maxReadBytes?: number;
  /** Largest content `write` and `edit` will store. Default 2 MiB. */
  maxWriteBytes?: number;
}

export interface ReadOptions {
  /** First line to return, 1-based. Default 1. */
  offset?: number;
  /** Most lines to return. Default: all. */
  limit?: number;
}

export interface ReadValue {
  path: string;
  /** The requested lines, byte for byte, line endings included. */
  content: string;
  /** Number of lines in the whole file. */
  lines: number;
  /** True when lines after the returned ones were left out. */
  truncated: boolean;
}

export interface ListOptions {
  recursive?: boolean;
  /** Default 1000. */
  maxEntries?: number;
}

export interface ListEntry {
  path: string;
  kind: "file" | "dir" | "symlink";
  /** Bytes for files, 0 for directories and symlinks. */
  size: number;
}

export interface ListValue {
  entries: ListEntry[];
  truncated: boolean;
}

export interface SearchOptions {
  /** File or directory to search. Default: the whole worktree. */
  path?: string;
  /** Treat the pattern as a JavaScript regular expression. Default: literal text. */
  regex?: boolean;
  /** Default 200. */
  maxMatches?: number;
  /** Only files matching this glob (`*`, `**`, `?`, `{a,b}`); without a `/` it matches the base name. */
  glob?: string;
}

export interface SearchMatch {
  path: string;
  /** 1-based. */
  line: number;
  text: string;
}

export interface SearchValue {
  matches: SearchMatch[];
  truncated: boolean;
}

export interface WriteValue {
  path: string;
  bytes: number;
  created: boolean;
}

export interface EditOptions {
  oldText: string;
  newText: string;
  /** Replace every occurrence instead of requiring exactly one. */
  replaceAll?: boolean;
}

export interface EditValue {
  path: string;
  replacements: number;
}

/**
 * The file tools of one worktree. Every path is relative to the worktree (absolute paths
 * inside it are accepted) and is refused when it leaves it, goes through a symlink that
 * leaves it, or touches `.git`.
 */
export interface FileTools {
  /** The worktree's real path (symlinks resolved), which every path is confined to. */
  readonly worktree: string;
  read(path: string, options?: ReadOptions): Promise<ToolResult<ReadValue>>;
  list(path?: string, options?: ListOptions): Promise<ToolResult<ListValue>>;
  search(pattern: string, options?: SearchOptions): Promise<ToolResult<SearchValue>>;
  write(path: string, content: string): Promise<ToolResult<WriteValue>>;
  edit(path: string, options: EditOptions): Promise<ToolResult<EditValue>>;
}

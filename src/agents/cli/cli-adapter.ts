/**
 * What the `cli` driver needs to know about one external coding agent: how to start it
 * headless, which variables carry its key and base URL, and how to read its output.
 */
import type { StreamState } from "./stream-state.js";

export const cliCommands = ["claude", "codex", "opencode", "gemini", "aider"] as const;
export type CliCommand = (typeof cliCommands)[number];

/** A task's limits, as factory.yaml's `budgets.task` gives them (wall time in milliseconds). */
export interface CliBudget {
  usd?: number;
  tokens?: number;
  wallTimeMs?: number;
  /** Tool calls, for the CLIs; Claude Code also gets it as `--max-turns`. */
  steps?: number;
}

/** One headless run, as an adapter turns it into arguments. */
export interface CliInvocation {
  prompt: string;
  model: string | undefined;
  budget: CliBudget;
  /** The HOME the tool gets inside the sandbox, where it may keep its own files. */
  home: string;
  /** The operator's `args` from factory.yaml, added after ours; they replace our defaults. */
  extraArgs: string[];
}

/** The key and the server the tool talks to, passed to it explicitly and to nothing else. */
export interface CliCredentials {
  apiKey?: string;
  baseUrl?: string;
  /** Overrides the adapter's key variable (opencode and aider pick one from the model). */
  keyEnv?: string;
  baseUrlEnv?: string;
}

export interface CliAdapter {
  readonly command: CliCommand;
  /**
   * True when the tool ends its stream with an event that says how the run went. Aider
   * prints plain text and has none: its runs are judged on our own checks alone.
   */
  readonly reportsOutcome: boolean;
  /** The arguments after the binary. */
  args(invocation: CliInvocation): string[];
  /** The variables the tool reads its key and base URL from, plus any it needs to run headless. */
  env(credentials: CliCredentials, model: string | undefined): Record<string, string>;
  /**
   * A reader for one run: called with each whole line of output, it records what the line
   * says in `state` and ignores what it does not know (new event types, banners, warnings).
   */
  parser(state: StreamState): (line: string, stream: "stdout" | "stderr") => void;
}

/** One of our default flags; `unless` names other flags of the operator's that replace it too. */
export interface DefaultFlag {
  flag: string;
  value?: string;
  unless?: string[];
}

/**
 * Our default flags, each left out when the operator's args already set it (as `--flag value`
 * or `--flag=value`) or a flag in its `unless`, so factory.yaml can replace any default.
 */
export function defaults(ours: DefaultFlag[], extraArgs: string[]): string[] {
  const set = (flag: string) => extraArgs.some((arg) => arg === flag || arg.startsWith(`${flag}=`));
  return ours
    .filter(({ flag, unless = [] }) => ![flag, ...unless].some(set))
    .flatMap(({ flag, value }) => (value === undefined ? [flag] : [flag, value]));
}

/** Parses a JSON object line; anything else (a banner, a blank line, a warning) is undefined. */
export function jsonLine(line: string): Record<string, unknown> | undefined {
  const text = line.trim();
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

export function rec(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The key and base URL under the tool's variable names (or the operator's), unset ones left out. */
export function credentialEnv(
  credentials: CliCredentials,
  keyEnv: string | undefined,
  baseUrlEnv: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  const key = credentials.keyEnv ?? keyEnv;
  const url = credentials.baseUrlEnv ?? baseUrlEnv;
  if (key && credentials.apiKey !== undefined) env[key] = credentials.apiKey;
  if (url && credentials.baseUrl !== undefined) env[url] = credentials.baseUrl;
  return env;
}

/** The text of a content field that is a string or a list of `{type: "text", text}` blocks. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block) => (isRecord(block) ? (str(block.text) ?? "") : ""))
    .filter((text) => text !== "")
    .join("\n");
}

/** What a CLI's event stream has said so far, in our terms: actions, usage, errors, outcome. */
import { isAbsolute, relative, sep } from "node:path";
import type { AgentAction } from "../contract.js";
import { isRecord, str } from "./cli-adapter.js";

/** Output of a command kept in its action; the CLI's own log has the rest. */
const OUTPUT_KEPT = 4_000;
const DETAIL_KEPT = 300;

type ActionKind = Exclude<AgentAction["kind"], "finish">;

/** How one of a tool's own tools maps to an action: its kind, and the input keys naming its target. */
export type ToolTable = Record<string, { kind: ActionKind; keys: string[] }>;

/** A tool call that maps to no action kind (a to-do list, a sub-agent, a web fetch). */
export interface OtherToolCall {
  name: string;
  input: string;
}

export interface CallResult {
  ok: boolean;
  output: string;
  /** For commands, when the tool reports it. */
  exitCode?: number | null;
}

export class StreamState {
  readonly actions: AgentAction[] = [];
  readonly otherTools: OtherToolCall[] = [];
  /** Input tokens count cached ones too: every token the model read. */
  readonly tokens = { input: 0, output: 0 };
  /** USD, when the tool reports it (Claude Code, opencode). */
  costUsd: number | undefined;
  /** Error events, in order; any one of them means the run did not succeed. */
  readonly errors: string[] = [];
  /** The tool's closing event: its verdict and its last word. */
  final: { ok: boolean; summary: string } | undefined;
  /** The agent's latest message, a summary when the closing event has none. */
  lastText = "";
  /** Lines that parsed as events, to tell a silent tool from a broken one. */
  events = 0;
  private readonly open = new Map<string, number>();

  constructor(private readonly worktree: string) {}

  /** Tool calls so far, mapped or not: what `budget.steps` counts. */
  get steps(): number {
    return this.actions.length + this.otherTools.length;
  }

  /** A call the agent made; `id` pairs it with the result that comes later. */
  call(table: ToolTable, name: string, input: unknown, id?: string): void {
    // Own keys only: a tool named `constructor` must not find Object's.
    const spec = Object.hasOwn(table, name) ? table[name] : undefined;
    const fields = isRecord(input) ? input : {};
    if (!spec) {
      this.otherTools.push({ name, input: clip(JSON.stringify(input ?? null), DETAIL_KEPT) });
      return;
    }
    const target = spec.keys.map((key) => str(fields[key])).find((value) => value !== undefined);
    // A search's target is its pattern, kept as the detail its result is added to.
    const action: AgentAction =
      spec.kind === "run"
        ? { kind: "run", command: target ?? "", exitCode: null, timedOut: false, output: "" }
        : spec.kind === "search"
          ? { kind: "search", path: ".", ok: false, detail: target ?? "" }
          : { kind: spec.kind, path: this.shown(target ?? "."), ok: false, detail: "no result" };
    this.actions.push(action);
    if (id !== undefined) this.open.set(id, this.actions.length - 1);
  }

  /** The result of call `id`; false when no open call has that id (the result is then dropped). */
  result(id: string, result: CallResult): boolean {
    const index = this.open.get(id);
    const action = index === undefined ? undefined : this.actions[index];
    if (index === undefined || action === undefined || action.kind === "finish") return false;
    this.open.delete(id);
    if (action.kind === "run") {
      this.actions[index] = {
        ...action,
        exitCode: result.exitCode !== undefined ? result.exitCode : result.ok ? 0 : null,
        output: result.output.slice(-OUTPUT_KEPT),
      };
      return true;
    }
    const detail = clip(
      `${action.kind === "search" ? `${action.detail}: ` : ""}${result.output}`,
      DETAIL_KEPT,
    );
    this.actions[index] = { ...action, ok: result.ok, detail };
    return true;
  }

  /** A command that was reported whole, start and end in one event. */
  ran(command: string, exitCode: number | null, output: string): void {
    this.actions.push({
      kind: "run",
      command,
      exitCode,
      timedOut: false,
      output: output.slice(-OUTPUT_KEPT),
    });
  }

  /** A file the tool changed, reported after the fact. */
  changed(kind: "write" | "edit", path: string, ok: boolean, detail: string): void {
    this.actions.push({ kind, path: this.shown(path), ok, detail });
  }

  error(message: string): void {
    this.errors.push(clip(message.trim() || "an error event without a message", DETAIL_KEPT));
  }

  /** Paths inside the worktree as the journal shows them: relative. */
  private shown(path: string): string {
    if (!isAbsolute(path)) return path;
    const rel = relative(this.worktree, path);
    return rel === "" ? "." : rel.startsWith(`..${sep}`) || rel === ".." ? path : rel;
  }
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The tools the model is offered, and how a call becomes work: every one goes through the
 * worktree's confined file tools or the sandbox, never around them. The model sees a clipped
 * result (head and tail); the action kept for the journal has it whole.
 */
import type { AgentAction, AgentTools } from "../contract.js";
import type { ToolCall, ToolSpec } from "./provider.js";

/** What the model reads back of a tool's output: enough to act on, never a whole log. */
export const MODEL_OUTPUT_CHARS = 8_000;
/** What the journal keeps of a command's output. */
const JOURNAL_OUTPUT_CHARS = 64_000;

const path = { type: "string", description: "A path relative to the repository root." };

export const toolSpecs: ToolSpec[] = [
  {
    name: "read",
    description: "Read a text file. Returns its lines, optionally a window of them.",
    inputSchema: {
      type: "object",
      properties: {
        path,
        offset: { type: "integer", description: "First line, 1-based." },
        limit: { type: "integer", description: "Most lines to return." },
      },
      required: ["path"],
    },
  },
  {
    name: "list",
    description: "List a directory (recursively when asked).",
    inputSchema: {
      type: "object",
      properties: { path, recursive: { type: "boolean" } },
    },
  },
  {
    name: "search",
    description: "Search file contents for text (or a regular expression).",
    inputSchema: {
      type: "object",
      properties: {
        pattern: { type: "string" },
        path,
        regex: { type: "boolean" },
        glob: { type: "string", description: "Only files matching this glob, e.g. *.ts" },
      },
      required: ["pattern"],
    },
  },
  {
    name: "write",
    description: "Create or overwrite a file with the given content.",
    inputSchema: {
      type: "object",
      properties: { path, content: { type: "string" } },
      required: ["path", "content"],
    },
  },
  {
    name: "edit",
    description:
      "Replace text in a file. old_text must occur exactly once unless replace_all is set.",
    inputSchema: {
      type: "object",
      properties: {
        path,
        old_text: { type: "string" },
        new_text: { type: "string" },
        replace_all: { type: "boolean" },
      },
      required: ["path", "old_text", "new_text"],
    },
  },
  {
    name: "run",
    description:
      "Run a shell command in the repository, in a sandbox without network. Use it to run the tests.",
    inputSchema: {
      type: "object",
      properties: { command: { type: "string" } },
      required: ["command"],
    },
  },
  {
    name: "finish",
    description:
      "Say the task is done, with a short summary of what changed. Call it only when the tests pass.",
    inputSchema: {
      type: "object",
      properties: { summary: { type: "string" } },
      required: ["summary"],
    },
  },
];

export interface ToolOutcome {
  /** What the model reads back. */
  content: string;
  isError: boolean;
  action: AgentAction;
}

/** Runs one tool call. Bad arguments are the model's mistake: an error result, not a throw. */
export async function performToolCall(call: ToolCall, tools: AgentTools): Promise<ToolOutcome> {
  const input = call.input;
  const text = (name: string): string | undefined =>
    typeof input[name] === "string" ? (input[name] as string) : undefined;
  const missing = (names: string[]) => {
    const absent = names.filter((name) => text(name) === undefined);
    return absent.length
      ? `${call.name} needs ${absent.map((name) => `"${name}" (a string)`).join(" and ")}`
      : undefined;
  };
  const refused = (kind: FileKind, target: string, message: string): ToolOutcome => ({
    content: message,
    isError: true,
    action: { kind, path: target, ok: false, detail: message },
  });

  switch (call.name) {
    case "read": {
      const problem = missing(["path"]);
      if (problem) return refused("read", "", problem);
      const target = text("path") as string;
      const result = await tools.files.read(target, {
        ...(typeof input.offset === "number" ? { offset: input.offset } : {}),
        ...(typeof input.limit === "number" ? { limit: input.limit } : {}),
      });
      if (!result.ok) return refused("read", target, result.error.message);
      const { content, lines, truncated } = result.value;
      return {
        content: clip(`${content}${truncated ? `\n[… ${lines} lines in all]` : ""}`),
        isError: false,
        action: { kind: "read", path: target, ok: true, detail: `${lines} lines` },
      };
    }
    case "list": {
      const target = text("path") ?? ".";
      const result = await tools.files.list(target, { recursive: input.recursive === true });
      if (!result.ok) return refused("list", target, result.error.message);
      const listing = result.value.entries
        .map((entry) => (entry.kind === "dir" ? `${entry.path}/` : entry.path))
        .join("\n");
      return {
        content: clip(`${listing}${result.value.truncated ? "\n[… more entries]" : ""}`),
        isError: false,
        action: {
          kind: "list",
          path: target,
          ok: true,
          detail: `${result.value.entries.length} entries`,
        },
      };
    }
    case "search": {
      const problem = missing(["pattern"]);
      if (problem) return refused("search", "", problem);
      const target = text("path") ?? ".";
      const glob = text("glob");
      const result = await tools.files.search(text("pattern") as string, {
        path: target,
        regex: input.regex === true,
        ...(glob ? { glob } : {}),
      });
      if (!result.ok) return refused("search", target, result.error.message);
      const found = result.value.matches.map((m) => `${m.path}:${m.line}: ${m.text}`).join("\n");
      return {
        content: clip(found || "no matches"),
        isError: false,
        action: {
          kind: "search",
          path: target,
          ok: true,
          detail: `${result.value.matches.length} matches`,
        },
      };
    }
    case "write": {
      const problem = missing(["path", "content"]);
      if (problem) return refused("write", text("path") ?? "", problem);
      const target = text("path") as string;
      const result = await tools.files.write(target, text("content") as string);
      if (!result.ok) return refused("write", target, result.error.message);
      return {
        content: `wrote ${result.value.bytes} bytes to ${target}`,
        isError: false,
        action: { kind: "write", path: target, ok: true, detail: `${result.value.bytes} bytes` },
      };
    }
    case "edit": {
      const problem = missing(["path", "old_text", "new_text"]);
      if (problem) return refused("edit", text("path") ?? "", problem);
      const target = text("path") as string;
      const result = await tools.files.edit(target, {
        oldText: text("old_text") as string,
        newText: text("new_text") as string,
        ...(input.replace_all === true ? { replaceAll: true } : {}),
      });
      if (!result.ok) return refused("edit", target, result.error.message);
      return {
        content: `replaced ${result.value.replacements} occurrence(s) in ${target}`,
        isError: false,
        action: {
          kind: "edit",
          path: target,
          ok: true,
          detail: `${result.value.replacements} replaced`,
        },
      };
    }
    case "run": {
      const command = text("command");
      if (command === undefined) {
        const message = 'run needs "command" (a string)';
        return {
          content: message,
          isError: true,
          action: { kind: "run", command: "", exitCode: null, timedOut: false, output: message },
        };
      }
      const result = await tools.run(command);
      const output = `${result.stdout}${result.stderr}`;
      const status = result.timedOut
        ? "timed out"
        : result.exitCode === null
          ? `killed by ${result.signal}`
          : `exit code ${result.exitCode}`;
      return {
        content: clip(`${status}\n${output}`),
        isError: result.exitCode !== 0,
        action: {
          kind: "run",
          command,
          exitCode: result.exitCode,
          timedOut: result.timedOut,
          output:
            output.length > JOURNAL_OUTPUT_CHARS ? output.slice(-JOURNAL_OUTPUT_CHARS) : output,
        },
      };
    }
    case "finish": {
      const summary = text("summary") ?? "";
      return { content: "done", isError: false, action: { kind: "finish", summary } };
    }
    default: {
      const message = `there is no tool "${call.name}"; the tools are ${toolSpecs.map((t) => t.name).join(", ")}`;
      return refused("read", "", message);
    }
  }
}

type FileKind = "read" | "list" | "search" | "write" | "edit";

/** Head and tail of a long text: the start says what it is, the end usually says what failed. */
export function clip(text: string, limit = MODEL_OUTPUT_CHARS): string {
  if (text.length <= limit) return text;
  const head = Math.floor(limit * 0.3);
  const tail = limit - head;
  return `${text.slice(0, head)}\n[… ${text.length - limit} characters left out …]\n${text.slice(-tail)}`;
}

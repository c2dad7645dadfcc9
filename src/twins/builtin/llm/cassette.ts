/**
 * The LLM twins' script: a cassette of turns, each a `match` (conditions on the conversation in
 * the request) and the `reply` the model gives when they all hold. YAML or an object, validated
 * with zod; problems come back located (file, line, column, field), never thrown.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import {
  type Diagnostic,
  type LocatedYaml,
  type Parsed,
  parseLocatedYaml,
  zodIssuesToDiagnostics,
} from "../../../common/index.js";

const text = z.string().min(1);

/** Every condition present must hold; an empty `match` always does (a catch-all turn). */
export const llmMatchSchema = z.strictObject({
  /** The latest user message (not a tool result) contains this, ignoring case. */
  last_user_contains: text.optional(),
  /** The latest tool result in the conversation contains this, ignoring case. */
  last_tool_result_contains: text.optional(),
  /** The last message is the result of a call to this tool. */
  after_tool: text.optional(),
  /** The system prompt contains this, ignoring case. */
  system_contains: text.optional(),
  /** How many assistant turns the conversation already has. */
  step: z.number().int().nonnegative().optional(),
  /** The request offers this tool, or all of these. */
  tools_include: z.union([text, z.array(text).min(1)]).optional(),
});
export type LlmMatch = z.infer<typeof llmMatchSchema>;

export const llmToolCallSchema = z.strictObject({
  name: text,
  /** The call's arguments, as the SDK hands them to the client. */
  input: z.record(z.string(), z.unknown()).default({}),
});

export const llmReplySchema = z
  .strictObject({
    text: z.string().optional(),
    tool_calls: z.array(llmToolCallSchema).optional(),
    /** Default: `tool_use` when there are tool calls, else `end`. */
    stop: z.enum(["end", "tool_use", "max_tokens"]).optional(),
    /** Stated usage; what is left out is estimated (about four characters a token). */
    usage: z
      .strictObject({
        input_tokens: z.number().int().nonnegative().optional(),
        output_tokens: z.number().int().nonnegative().optional(),
      })
      .optional(),
  })
  .refine((reply) => reply.text !== undefined || (reply.tool_calls?.length ?? 0) > 0, {
    message: "a reply needs `text`, `tool_calls` or both",
  })
  .refine((reply) => reply.stop !== "tool_use" || (reply.tool_calls?.length ?? 0) > 0, {
    message: "`stop: tool_use` needs `tool_calls`",
    path: ["stop"],
  });
export type LlmReply = z.infer<typeof llmReplySchema>;

export const llmTurnSchema = z.strictObject({
  id: text,
  match: llmMatchSchema.default({}),
  reply: llmReplySchema,
});
export type LlmTurn = z.infer<typeof llmTurnSchema>;

export const llmCassetteSchema = z
  .strictObject({ turns: z.array(llmTurnSchema).min(1) })
  .superRefine((cassette, context) => {
    const seen = new Set<string>();
    for (const [index, turn] of cassette.turns.entries()) {
      if (seen.has(turn.id))
        context.addIssue({
          code: "custom",
          message: `turn id "${turn.id}" is used twice`,
          path: ["turns", index, "id"],
        });
      seen.add(turn.id);
    }
  });
export type LlmCassette = z.infer<typeof llmCassetteSchema> & {
  /** Where it came from, for error messages: a file path, or `(inline cassette)`. */
  source?: string;
};

const INLINE = "(inline cassette)";

/** A cassette given as an object (already parsed YAML or JSON). */
export function parseLlmCassette(value: unknown, file = INLINE): Parsed<LlmCassette> {
  return validate(value, {
    file,
    value,
    syntaxIssues: [],
    locate: () => ({ line: 1, column: 1 }),
  });
}

/** A cassette file, YAML (or JSON, which is YAML). */
export function readLlmCassette(file: string): Parsed<LlmCassette> {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (error) {
    return {
      ok: false,
      issues: [
        {
          rule: "cassette-unreadable",
          severity: "error",
          message: `cannot read the cassette: ${(error as Error).message}`,
          file,
          line: 1,
          column: 1,
          hint: "pass the path of a YAML file with `turns:`",
        },
      ],
    };
  }
  const located = parseLocatedYaml(source, file);
  if (located.syntaxIssues.length > 0) return { ok: false, issues: located.syntaxIssues };
  return validate(located.value, located);
}

function validate(value: unknown, located: LocatedYaml): Parsed<LlmCassette> {
  const parsed = llmCassetteSchema.safeParse(value ?? {});
  if (parsed.success)
    return { ok: true, value: { ...parsed.data, source: located.file }, warnings: [] };
  const issues: Diagnostic[] = zodIssuesToDiagnostics(
    parsed.error.issues,
    located,
    llmCassetteSchema,
  );
  return { ok: false, issues };
}

/**
 * The Chat Completions request, as zod reads it: the fields the twin uses are checked (a bad one
 * gets OpenAI's 400 with `param` naming it, `messages[0].content`); sampling options and newer
 * fields pass through unread. Normalised into the shared conversation for the matcher.
 */
import { z } from "zod";
import { bodyProblem, type Conversation, linkToolResults } from "../llm/index.js";
import { OpenAiApiError } from "./errors.js";

const textPart = z.looseObject({ type: z.literal("text"), text: z.string() });
/** OpenAI takes a bare string wherever it takes a list of content parts. */
const parts = (...others: z.core.$ZodTypeDiscriminable[]) =>
  z.preprocess(
    (value) => (typeof value === "string" ? [{ type: "text", text: value }] : value),
    z.array(z.discriminatedUnion("type", [textPart, ...others])),
  );
const userParts = parts(
  z.looseObject({ type: z.literal("image_url"), image_url: z.looseObject({ url: z.string() }) }),
  z.looseObject({ type: z.literal("input_audio"), input_audio: z.looseObject({}) }),
  z.looseObject({ type: z.literal("file"), file: z.looseObject({}) }),
);

const toolCallSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
});

const messageSchema = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content: parts() }),
  z.looseObject({ role: z.literal("developer"), content: parts() }),
  z.looseObject({ role: z.literal("user"), content: userParts }),
  z.looseObject({
    role: z.literal("assistant"),
    content: parts(z.looseObject({ type: z.literal("refusal"), refusal: z.string() }))
      .nullable()
      .optional(),
    tool_calls: z.array(toolCallSchema).optional(),
  }),
  z.looseObject({ role: z.literal("tool"), tool_call_id: z.string().min(1), content: parts() }),
]);

const limit = z.number().int().positive().nullable().optional();

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  tools: z
    .array(
      z.looseObject({
        type: z.literal("function"),
        function: z.looseObject({
          name: z.string().min(1),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    )
    .optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: limit,
  max_completion_tokens: limit,
  n: z
    .literal(1, { message: "the twin answers with one choice: n must be 1" })
    .nullable()
    .optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** `messages[0].content`, as OpenAI writes a parameter. */
function paramOf(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** The body as the schema reads it, or OpenAI's 400 naming the first parameter at fault. */
export function parseChatRequest(body: unknown): ChatRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new OpenAiApiError(400, "The request body must be a JSON object.");
  const parsed = chatRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problem = bodyProblem(parsed.error, body);
  const param = paramOf(problem.path);
  if (problem.missing)
    throw new OpenAiApiError(
      400,
      `Missing required parameter: '${param}'.`,
      param,
      "missing_required_parameter",
    );
  throw new OpenAiApiError(
    400,
    `Invalid value for '${param}': ${problem.message}.`,
    param,
    problem.kind === "invalid_type" ? "invalid_type" : "invalid_value",
  );
}

type Part = { type: string; text?: unknown };

function textOf(content: readonly Part[] | null | undefined): string {
  return (content ?? []).flatMap((p) => (p.type === "text" ? [String(p.text)] : [])).join("\n");
}

function parsedArguments(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

/** OpenAI's messages as the shared conversation: system and developer messages as the system. */
export function toConversation(request: ChatRequest): Conversation {
  const system: string[] = [];
  const messages: Conversation["messages"] = [];
  for (const message of request.messages) {
    const content = message.content as Part[] | null | undefined;
    switch (message.role) {
      case "system":
      case "developer":
        system.push(textOf(content));
        break;
      case "user":
        messages.push({ role: "user", text: textOf(content) });
        break;
      case "assistant":
        messages.push({
          role: "assistant",
          text: textOf(content),
          toolCalls: (message.tool_calls ?? []).map((call) => ({
            id: call.id,
            name: call.function.name,
            input: parsedArguments(call.function.arguments),
          })),
        });
        break;
      case "tool":
        messages.push({
          role: "tool",
          results: [
            {
              callId: message.tool_call_id,
              name: undefined,
              text: textOf(content),
              isError: false,
            },
          ],
        });
        break;
    }
  }
  return {
    system: system.join("\n\n"),
    tools: (request.tools ?? []).map((tool) => ({
      name: tool.function.name,
      description: tool.function.description ?? "",
      schema: tool.function.parameters ?? {},
    })),
    messages: linkToolResults(messages),
  };
}

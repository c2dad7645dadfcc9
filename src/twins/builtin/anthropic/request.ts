/**
 * The Messages API request, as zod reads it: the fields the twin uses are checked (a bad one gets
 * Anthropic's 400 naming it, `messages.0.content.0.text: Field required`); sampling options and
 * newer fields pass through unread. Normalised into the shared conversation for the matcher.
 */
import { z } from "zod";
import { bodyProblem, type Conversation, linkToolResults } from "../llm/index.js";
import { AnthropicApiError } from "./errors.js";

/** Anthropic takes a bare string wherever it takes a list of text blocks. */
const blocks = <T extends z.ZodType>(block: T) =>
  z.preprocess(
    (value) => (typeof value === "string" ? [{ type: "text", text: value }] : value),
    z.array(block),
  );

const textBlock = z.looseObject({ type: z.literal("text"), text: z.string() });
const sourced = (type: "image" | "document") =>
  z.looseObject({ type: z.literal(type), source: z.looseObject({ type: z.string() }) });

const toolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string().min(1),
  content: blocks(
    z.discriminatedUnion("type", [textBlock, sourced("image"), sourced("document")]),
  ).optional(),
  is_error: z.boolean().optional(),
});

const contentBlock = z.discriminatedUnion("type", [
  textBlock,
  sourced("image"),
  sourced("document"),
  z.looseObject({
    type: z.literal("tool_use"),
    id: z.string().min(1),
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
  }),
  toolResultBlock,
  z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() }),
  z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() }),
]);

const messageSchema = z.strictObject({
  role: z.enum(["user", "assistant"]),
  content: blocks(contentBlock),
});

const toolSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.string() }).optional(),
});

const conversationFields = {
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  system: blocks(textBlock).optional(),
  tools: z.array(toolSchema).optional(),
};

export const countTokensRequestSchema = z.looseObject(conversationFields);
export const messagesRequestSchema = z.looseObject({
  ...conversationFields,
  max_tokens: z.number().int().positive(),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;

/** The body as `schema` reads it, or Anthropic's 400 naming the first field at fault. */
export function parseRequest<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new AnthropicApiError(
      400,
      "invalid_request_error",
      "The request body is not a JSON object",
    );
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problem = bodyProblem(parsed.error, body);
  throw new AnthropicApiError(
    400,
    "invalid_request_error",
    `${problem.path.join(".") || "body"}: ${problem.message}`,
  );
}

type Block = z.infer<typeof contentBlock>;

function textOf(content: readonly { type: string; text?: unknown }[] | undefined): string {
  return (content ?? [])
    .flatMap((block) => (block.type === "text" ? [String(block.text)] : []))
    .join("\n");
}

/** Anthropic's messages as the shared conversation: tool results out of user turns. */
export function toConversation(request: CountTokensRequest): Conversation {
  const messages: Conversation["messages"] = [];
  for (const message of request.messages) {
    const content = message.content as Block[];
    if (message.role === "assistant") {
      messages.push({
        role: "assistant",
        text: textOf(content),
        toolCalls: content.flatMap((block) =>
          block.type === "tool_use" ? [{ id: block.id, name: block.name, input: block.input }] : [],
        ),
      });
      continue;
    }
    const results = content.flatMap((block) =>
      block.type === "tool_result"
        ? [
            {
              callId: block.tool_use_id,
              name: undefined,
              text: textOf(block.content),
              isError: block.is_error ?? false,
            },
          ]
        : [],
    );
    if (results.length > 0) messages.push({ role: "tool", results });
    const text = textOf(content);
    // A turn of tool results alone is no user message; one with words beside them is both.
    if (results.length === 0 || text) messages.push({ role: "user", text });
  }
  return {
    system: textOf(request.system),
    tools: (request.tools ?? []).map((tool) => ({
      name: tool.name,
      description: tool.description ?? "",
      schema: tool.input_schema ?? {},
    })),
    messages: linkToolResults(messages),
  };
}

/**
 * The Messages API routes: `POST /v1/messages` (plain and streamed) and
 * `POST /v1/messages/count_tokens`, behind Anthropic's auth and version checks.
 */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { TwinContext } from "../../runtime/contract.js";
import {
  complete,
  estimateTokens,
  eventStream,
  type LlmSettings,
  type LlmState,
  promptText,
} from "../llm/index.js";
import { AnthropicApiError, errorBody } from "./errors.js";
import { buildMessage, messageEvents } from "./message.js";
import {
  countTokensRequestSchema,
  messagesRequestSchema,
  parseRequest,
  toConversation,
} from "./request.js";

export function anthropicRoutes(app: Hono, twin: TwinContext<LlmState>, settings: LlmSettings) {
  app.post("/v1/messages", (c) =>
    answer(c, twin, async (requestId) => {
      const request = parseRequest(messagesRequestSchema, await readJson(c));
      checkModel(settings, request.model);
      const stream = request.stream ?? false;
      const outcome = complete(twin, "anthropic", settings, {
        conversation: toConversation(request),
        maxTokens: request.max_tokens,
        stream,
      });
      if (!outcome.ok) throw new AnthropicApiError(400, "invalid_request_error", outcome.message);
      const message = buildMessage(twin.random, request.model, outcome.completion);
      if (!stream) return c.json(message, 200, { "request-id": requestId });
      return eventStream(c, messageEvents(message, outcome.completion), outcome.completion.cutAt, {
        "request-id": requestId,
      });
    }),
  );

  app.post("/v1/messages/count_tokens", (c) =>
    answer(c, twin, async (requestId) => {
      const request = parseRequest(countTokensRequestSchema, await readJson(c));
      checkModel(settings, request.model);
      const input_tokens = Math.max(1, estimateTokens(promptText(toConversation(request))));
      return c.json({ input_tokens }, 200, { "request-id": requestId });
    }),
  );
}

/** Auth and version first, as Anthropic checks them; a refusal in Anthropic's shape. */
async function answer(
  c: Context,
  twin: TwinContext<LlmState>,
  run: (requestId: string) => Promise<Response>,
): Promise<Response> {
  const requestId = twin.random.id("req_01", 22);
  try {
    authenticate(c);
    if (!c.req.header("anthropic-version"))
      throw new AnthropicApiError(
        400,
        "invalid_request_error",
        "anthropic-version: header is required",
      );
    return await run(requestId);
  } catch (error) {
    if (!(error instanceof AnthropicApiError)) throw error;
    return c.json(errorBody(error.type, error.message), error.status as ContentfulStatusCode, {
      "request-id": requestId,
    });
  }
}

/**
 * Any non-empty key, in `x-api-key` (the API's header) or as a bearer token (what the SDK
 * sends for an `apiKey` since 1.x).
 */
function authenticate(c: Context): void {
  const key = c.req.header("x-api-key")?.trim();
  const bearer = /^Bearer\s+(\S.*)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
  if (key || bearer) return;
  throw new AnthropicApiError(
    401,
    "authentication_error",
    c.req.header("x-api-key") !== undefined || c.req.header("authorization") !== undefined
      ? "invalid x-api-key"
      : "x-api-key header is required",
  );
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch (error) {
    throw new AnthropicApiError(
      400,
      "invalid_request_error",
      `There was an error parsing the body of your request: ${(error as Error).message}`,
    );
  }
}

function checkModel(settings: LlmSettings, model: string): void {
  if (settings.models && !settings.models.includes(model))
    throw new AnthropicApiError(404, "not_found_error", `model: ${model}`);
}

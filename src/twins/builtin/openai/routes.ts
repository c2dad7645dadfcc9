/**
 * The routes: `POST /v1/chat/completions` (plain and streamed), `GET /v1/models` and
 * `GET /v1/models/{model}`, behind OpenAI's bearer auth.
 */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { TwinContext } from "../../runtime/contract.js";
import { complete, eventStream, type LlmSettings, type LlmState } from "../llm/index.js";
import { buildChatCompletion, completionChunks } from "./completion.js";
import { errorBody, OpenAiApiError } from "./errors.js";
import { parseChatRequest, toConversation } from "./request.js";

/** What `GET /v1/models` lists when the twin is not limited to `options.models`. */
const DEFAULT_MODELS = ["gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-4o-mini", "o4-mini"];
/** A fixed date, so that the list is the same in every journal. */
const MODELS_CREATED = 1_700_000_000;

export function openaiRoutes(app: Hono, twin: TwinContext<LlmState>, settings: LlmSettings) {
  app.post("/v1/chat/completions", (c) =>
    answer(c, twin, async (headers) => {
      const request = parseChatRequest(await readJson(c));
      checkModel(settings, request.model);
      const stream = request.stream ?? false;
      const outcome = complete(twin, "openai", settings, {
        conversation: toConversation(request),
        maxTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
        stream,
      });
      if (!outcome.ok)
        throw new OpenAiApiError(400, outcome.message, "messages", "twin_cassette_unmatched");
      const completion = buildChatCompletion(
        twin.random,
        twin.clock.seconds(),
        request.model,
        outcome.completion,
      );
      if (!stream) return c.json(completion, 200, headers);
      const includeUsage = request.stream_options?.include_usage ?? false;
      return eventStream(
        c,
        completionChunks(completion, includeUsage),
        outcome.completion.cutAt,
        headers,
      );
    }),
  );

  const model = (id: string) => ({
    id,
    object: "model",
    created: MODELS_CREATED,
    owned_by: "system",
  });
  app.get("/v1/models", (c) =>
    answer(c, twin, async (headers) =>
      c.json(
        { object: "list", data: (settings.models ?? DEFAULT_MODELS).map(model) },
        200,
        headers,
      ),
    ),
  );
  app.get("/v1/models/:model{.+}", (c) =>
    answer(c, twin, async (headers) => {
      const id = c.req.param("model");
      checkModel(settings, id);
      return c.json(model(id), 200, headers);
    }),
  );
}

/** Auth first, as OpenAI checks it; a refusal in OpenAI's shape. */
async function answer(
  c: Context,
  twin: TwinContext<LlmState>,
  run: (headers: Record<string, string>) => Promise<Response>,
): Promise<Response> {
  const headers = { "x-request-id": `req_${twin.random.hex(16)}`, "openai-version": "2020-10-01" };
  try {
    authenticate(c);
    return await run(headers);
  } catch (error) {
    if (!(error instanceof OpenAiApiError)) throw error;
    return c.json(
      errorBody(error.message, error.type, error.param, error.code),
      error.status as ContentfulStatusCode,
      headers,
    );
  }
}

/** Any non-empty bearer token. */
function authenticate(c: Context): void {
  const header = c.req.header("authorization");
  if (/^Bearer\s+\S/i.test(header ?? "")) return;
  if (header === undefined)
    throw new OpenAiApiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    );
  throw new OpenAiApiError(
    401,
    "Incorrect API key provided. The Authorization header must be `Bearer <key>`.",
    null,
    "invalid_api_key",
  );
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new OpenAiApiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
    );
  }
}

function checkModel(settings: LlmSettings, model: string): void {
  if (settings.models && !settings.models.includes(model))
    throw new OpenAiApiError(
      404,
      `The model \`${model}\` does not exist or you do not have access to it.`,
      null,
      "model_not_found",
    );
}

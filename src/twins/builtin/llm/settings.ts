/**
 * The LLM twins' options (`createTwin(anthropicTwin, { options })`), read once when the twin's
 * routes are built: a bad cassette or a misspelt option stops the twin from starting, with the
 * file, line and field, rather than surfacing as odd answers later.
 */
import { z } from "zod";
import { closestWord, formatDiagnostic, InputError } from "../../../common/index.js";
import { type LlmCassette, parseLlmCassette, readLlmCassette } from "./cassette.js";

const rate = z.number().min(0).max(1);

export const llmTwinOptionsSchema = z.strictObject({
  /** A cassette object, or the path of a YAML cassette file. Without one: a short fixed text. */
  cassette: z.unknown().optional(),
  /** Chance that a streamed answer stops mid-way: the connection ends, no final event. */
  stream_cut_rate: rate.default(0),
  /** Chance that a tool call's arguments are not valid JSON. */
  malformed_tool_json_rate: rate.default(0),
  /** The only model names accepted (others get the vendor's 404); default: any. */
  models: z.array(z.string().min(1)).min(1).optional(),
});

export interface LlmSettings {
  cassette: LlmCassette | undefined;
  streamCutRate: number;
  malformedToolJsonRate: number;
  models: string[] | undefined;
}

export function readLlmSettings(twin: string, options: Record<string, unknown>): LlmSettings {
  const parsed = llmTwinOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const known = Object.keys(llmTwinOptionsSchema.shape);
    const unknown = issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined;
    // A near miss, or the start of a name (`stream_cut` for `stream_cut_rate`).
    const suggestion = unknown
      ? (closestWord(unknown, known) ?? known.find((name) => name.startsWith(unknown)))
      : undefined;
    throw new InputError(
      "llm-twin-options",
      unknown
        ? `the ${twin} twin has no option "${unknown}"`
        : `the ${twin} twin's option ${issue?.path.join(".")}: ${issue?.message}`,
      {
        hint: suggestion ? `did you mean "${suggestion}"?` : `its options: ${known.join(", ")}`,
      },
    );
  }
  const { cassette, stream_cut_rate, malformed_tool_json_rate, models } = parsed.data;
  return {
    cassette: cassette === undefined ? undefined : loadCassette(twin, cassette),
    streamCutRate: stream_cut_rate,
    malformedToolJsonRate: malformed_tool_json_rate,
    models,
  };
}

function loadCassette(twin: string, given: unknown): LlmCassette {
  const parsed = typeof given === "string" ? readLlmCassette(given) : parseLlmCassette(given);
  if (parsed.ok) return parsed.value;
  const [first, ...rest] = parsed.issues;
  throw new InputError(
    "llm-cassette-invalid",
    `the ${twin} twin's cassette is not valid: ${first ? formatDiagnostic(first) : "no turns"}${rest.length ? ` (and ${rest.length} more)` : ""}`,
    {
      hint: "a cassette is `turns:` with an `id`, a `match` and a `reply` each (see src/twins/builtin/llm/index.ts)",
    },
  );
}

/** Parses a tool call's streamed arguments, which the model wrote and may have got wrong. */
import { ProviderError } from "../provider.js";

export function parseToolInput(
  provider: string,
  toolName: string,
  json: string,
): Record<string, unknown> {
  // A call without arguments streams none at all.
  if (json.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ProviderError(
      "malformed",
      `${provider}: the arguments of the call to ${toolName} are not valid JSON: ${snippet(json)}`,
      { cause: error },
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new ProviderError(
      "malformed",
      `${provider}: the arguments of the call to ${toolName} are not a JSON object: ${snippet(json)}`,
    );
  return value as Record<string, unknown>;
}

function snippet(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

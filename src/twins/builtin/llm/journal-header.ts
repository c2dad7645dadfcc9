/**
 * The LLM twins' journal headers: what node's fetch adds on its own over a socket (and not to a
 * Request handed to `twin.fetch`) is left out, so a conversation journals the same either way.
 */
const ADDED_BY_FETCH = new Set(["accept-language", "sec-fetch-mode"]);

export function llmJournalHeader(name: string, value: string): string | undefined {
  return ADDED_BY_FETCH.has(name) ? undefined : value;
}

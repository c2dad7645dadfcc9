/**
 * A deterministic token estimate, about four characters a token (the rule of thumb both vendors
 * give for English), for usage a cassette does not state.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Settings both adapters share. */

/**
 * How long to wait for an answer to start, and then between two events of its stream. Long,
 * because a reasoning model may think for minutes before its first token; the tool loop's
 * wall-time budget bounds the whole turn.
 */
export const DEFAULT_TIMEOUT_MS = 300_000;

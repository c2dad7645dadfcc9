/**
 * Reads an SDK's event stream with the guarantees the tool loop needs: the caller's abort wins,
 * a stream silent for longer than the timeout is abandoned, and one that breaks off is a
 * `timeout`. The SDKs end iteration quietly when aborted, so the reasons are tracked here.
 */
import { ProviderError } from "../provider.js";

export interface ReadStreamOptions {
  provider: string;
  /** The caller's signal: when it aborts, its reason is thrown, not a `ProviderError`. */
  signal: AbortSignal;
  /** Longest silence between two events, once the stream has opened. */
  timeoutMs: number;
  /** Classifies an error from opening the stream or an error event inside it. */
  classify(error: unknown): ProviderError | undefined;
}

/** Opens the stream with a signal of its own and hands each event to `onEvent`. */
export async function readStream<T>(
  open: (signal: AbortSignal) => Promise<AsyncIterable<T>>,
  onEvent: (event: T) => void,
  options: ReadStreamOptions,
): Promise<void> {
  const { signal, timeoutMs, provider } = options;
  signal.throwIfAborted();
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  let silent = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      silent = true;
      controller.abort();
    }, timeoutMs);
  };
  const stopped = () => {
    signal.throwIfAborted();
    if (silent)
      throw new ProviderError(
        "timeout",
        `${provider}: the answer's stream was silent for ${timeoutMs} ms`,
      );
  };
  let complete = false;
  try {
    let stream: AsyncIterable<T>;
    try {
      stream = await open(controller.signal);
    } catch (error) {
      signal.throwIfAborted();
      throw options.classify(error) ?? error;
    }
    const events = stream[Symbol.asyncIterator]();
    arm();
    for (;;) {
      let next: IteratorResult<T>;
      try {
        next = await events.next();
      } catch (error) {
        stopped();
        // A socket closed mid-body surfaces as undici's "terminated", not as an SDK error.
        throw (
          options.classify(error) ??
          new ProviderError("timeout", `${provider}: the answer's stream broke off`, {
            cause: error,
          })
        );
      }
      stopped();
      if (next.done) break;
      arm();
      onEvent(next.value);
    }
    complete = true;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
    // Releases the socket of a stream we stopped reading.
    if (!complete) controller.abort();
  }
}

/**
 * Server-sent events, and the stream_cut fault: over HTTP the connection ends after some events,
 * mid-body, so the client's reader fails as on a dropped connection; a journal entry is still
 * written (the runtime journals on close). In-process there is no connection to end, and the
 * runtime reads the whole body before handing it over, so the body simply stops early there.
 */
import type { ServerResponse } from "node:http";
import type { Context } from "hono";

const encoder = new TextEncoder();

/** `event: <name>` (Anthropic) or none (OpenAI), then `data: <json>`. */
export function sseEvent(data: string, event?: string): string {
  return event ? `event: ${event}\ndata: ${data}\n\n` : `data: ${data}\n\n`;
}

/**
 * The events as a response body. Whole, they go in one write: the twin has nothing to wait for
 * between events (latency faults space answers, not events), and one write per answer is what
 * keeps it near raw `node:http` (bench/llm-twins.bench.ts); the SDKs read the events as they
 * parse them either way. With `cutAt` (the stream_cut fault, in [0, 1)) the body stops after
 * some of them (at least one, never the last) and a comment saying why.
 */
export function eventStream(
  c: Context,
  events: string[],
  cutAt: number | undefined,
  headers: Record<string, string>,
): Response {
  const init = { status: 200, headers: { ...SSE_HEADERS, ...headers } };
  if (cutAt === undefined) return new Response(events.join(""), init);
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  const sending = [
    ...events.slice(0, 1 + Math.floor(cutAt * Math.max(1, events.length - 1))),
    CUT_NOTICE,
  ];
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const event = sending[sent++];
      if (event !== undefined) controller.enqueue(encoder.encode(event));
      // The events so far are already handed to the response: ending the socket flushes them
      // and closes without the chunked body's last chunk.
      else if (outgoing?.socket) outgoing.socket.end();
      else controller.close();
    },
  });
  return new Response(body, init);
}

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
};

/** An SSE comment (every client skips it), so the journal says why the stream stops there. */
const CUT_NOTICE = ": darkfactory twin fault stream_cut: the connection ends here\n\n";

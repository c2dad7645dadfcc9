/**
 * A twin over a socket on 127.0.0.1. The runtime's work (journal, body limit, faults) is done on
 * node's own request and response, around one Hono dispatch: no middleware, and no Fetch API
 * object beyond what @hono/node-server makes lazily. It is what keeps a twin near raw
 * `node:http` (bench/twins.bench.ts).
 */
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Exchange, ExchangeRuntime, VendorAnswer, Verdict } from "./exchange.js";
import { journaledResponse } from "./exchange.js";

export interface ServedTwin {
  name: string;
  url: string;
  port: number;
  close(): Promise<void>;
}

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>;

export function serveOverHttp(
  name: string,
  runtime: ExchangeRuntime,
  fetch: Fetch,
  port: number,
  host: string,
): Promise<ServedTwin> {
  const dispatch = getRequestListener(fetch);
  const tooLarge = `Request bodies are limited to ${runtime.maxBody} bytes`;

  const act = (request: IncomingMessage, response: JournalingResponse, verdict: Verdict) => {
    if (verdict.kind === "reset") request.socket.destroy();
    else if (verdict.kind === "answer") send(response, verdict.answer);
    else {
      response.journalTo(response.exchange as Exchange, verdict);
      void dispatch(request, response);
    }
  };
  const run = (request: IncomingMessage, response: JournalingResponse, exchange: Exchange) => {
    response.exchange = exchange;
    const verdict = runtime.judge(exchange);
    if (verdict instanceof Promise) void verdict.then((v) => act(request, response, v));
    else act(request, response, verdict);
  };

  const received = (request: BodyRequest, body: Buffer | undefined) => {
    const exchange = request.exchange as Exchange;
    const response = request.response as JournalingResponse;
    if (!body) {
      send(response, runtime.answer(exchange, 413, tooLarge), true);
      return;
    }
    // @hono/node-server serves c.req.json() and friends from it, without a stream.
    request.rawBody = body;
    exchange.setBody(
      body,
      String(request.headers["content-type"] ?? ""),
      request.headers["content-encoding"] !== undefined,
    );
    run(request, response, exchange);
  };

  const server = createServer(
    { ServerResponse: JournalingResponse, IncomingMessage: BodyRequest },
    (request, response) => {
      const url = request.url ?? "/";
      if (url.startsWith("/__twin/")) {
        void dispatch(request, response);
        return;
      }
      const method = request.method ?? "GET";
      const exchange = runtime.begin(method, url, request.headers);
      if (Number(request.headers["content-length"] ?? 0) > runtime.maxBody) {
        send(response, runtime.answer(exchange, 413, tooLarge));
        return;
      }
      if (method === "GET" || method === "HEAD") {
        void run(request, response, exchange);
        return;
      }
      request.exchange = exchange;
      request.response = response;
      request.limit = runtime.maxBody;
      request.received = received;
      request.on("data", onBodyData).once("end", onBodyEnd).once("error", onBodyError);
    },
  );

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        name,
        url: `http://${host}:${bound}`,
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function send(response: ServerResponse, answer: VendorAnswer, close = false): void {
  // A body left unread (too large) would otherwise be parsed as the next request.
  response.writeHead(
    answer.status,
    close ? { ...answer.headers, connection: "close" } : answer.headers,
  );
  response.end(answer.body);
}

/**
 * A request whose body the runtime reads whole (to journal it and hold it to the size limit)
 * before the route runs. The listeners below are plain functions over `this`, not closures made
 * per request.
 */
class BodyRequest extends IncomingMessage {
  exchange: Exchange | undefined;
  response: JournalingResponse | undefined;
  rawBody: Buffer | undefined;
  limit = 0;
  received: ((request: BodyRequest, body: Buffer | undefined) => void) | undefined;
  chunks: Buffer[] = [];
  size = 0;
}

function onBodyData(this: BodyRequest, chunk: Buffer): void {
  this.size += chunk.length;
  if (this.size <= this.limit) {
    this.chunks.push(chunk);
    return;
  }
  // Past the limit: the rest is not read, and the answer closes the connection.
  this.off("data", onBodyData).off("end", onBodyEnd).pause();
  this.received?.(this, undefined);
}

function onBodyEnd(this: BodyRequest): void {
  const chunks = this.chunks;
  this.received?.(this, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

function onBodyError(this: BodyRequest): void {
  this.socket.destroy();
}

/**
 * A response that journals what the route writes, as it writes it, and lets the rate budget's
 * headers override the route's own. A subclass rather than wrapped methods: no closures per
 * request.
 */
class JournalingResponse extends ServerResponse<BodyRequest> {
  exchange: Exchange | undefined;
  private verdict: Extract<Verdict, { kind: "pass" }> | undefined;
  private chunks: (string | Uint8Array)[] = [];
  private contentType = "";

  journalTo(exchange: Exchange, verdict: Extract<Verdict, { kind: "pass" }>): void {
    this.exchange = exchange;
    this.verdict = verdict;
  }

  // biome-ignore lint/suspicious/noExplicitAny: node's overloads, passed through as they are
  override writeHead(status: number, ...rest: any[]): this {
    const budget = this.verdict?.headers;
    if (this.verdict) {
      // @hono/node-server passes the headers here, where getHeader() does not see them.
      const headers = rest.find(
        (arg) => typeof arg === "object" && arg !== null && !Array.isArray(arg),
      ) as Record<string, unknown> | undefined;
      for (const key in headers) {
        const lower = key.toLowerCase();
        if (lower === "content-type") this.contentType = String(headers[key]);
        if (budget?.[lower] !== undefined) delete headers[key];
      }
      for (const name in budget) this.setHeader(name, budget[name] as string);
    }
    return super.writeHead(status, ...rest);
  }

  // biome-ignore lint/suspicious/noExplicitAny: as above
  override write(chunk: any, ...rest: any[]): boolean {
    if (this.verdict) {
      // A streamed answer: a client that leaves early still leaves a journal entry.
      if (this.chunks.length === 0) this.once("close", () => this.record());
      if (typeof chunk === "string" || chunk instanceof Uint8Array) this.chunks.push(chunk);
    }
    return super.write(chunk, ...rest);
  }

  // biome-ignore lint/suspicious/noExplicitAny: as above
  override end(chunk?: any, ...rest: any[]): this {
    if (this.verdict) {
      if (typeof chunk === "string" || chunk instanceof Uint8Array) this.chunks.push(chunk);
      this.record();
    }
    return super.end(chunk, ...rest);
  }

  private record(): void {
    const verdict = this.verdict;
    if (!verdict || !this.exchange) return;
    this.verdict = undefined;
    const chunks = this.chunks;
    const body =
      chunks.length === 1 && typeof chunks[0] === "string"
        ? chunks[0]
        : Buffer.concat(
            chunks.map((chunk) => (typeof chunk === "string" ? Buffer.from(chunk) : chunk)),
          );
    this.exchange.record(
      this.statusCode,
      journaledResponse(body, this.contentType || String(this.getHeader("content-type") ?? "")),
      verdict.extra,
    );
  }
}

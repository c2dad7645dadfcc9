/**
 * The runner's HTTP client: node:http with keep-alive, rather than fetch, whose retries of a
 * reset request would hide a product that drops connections and hang a readiness check.
 */
import { Agent, request } from "node:http";
import { ExpectationFailure } from "./values.js";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed, when it is JSON. */
  json?: unknown;
}

export interface HttpCall {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  agent?: Agent;
  signal?: AbortSignal;
}

const MAX_BODY = 4 * 1024 * 1024;

export function createHttpAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 64 });
}

export function sendHttp(url: string, call: HttpCall): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: call.method,
      headers: call.headers,
      ...(call.agent ? { agent: call.agent } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    });
    const timer = setTimeout(() => {
      req.destroy(
        new ExpectationFailure("timeout", `no answer from the product in ${call.timeoutMs} ms`),
      );
    }, call.timeoutMs);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      res.on("error", (error) => fail(error));
      res.on("end", () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("utf8");
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers))
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
        resolve({ status: res.statusCode ?? 0, headers, text, ...parseJson(text) });
      });
    });
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (error instanceof ExpectationFailure) return reject(error);
      const code = (error as NodeJS.ErrnoException).code ?? error.name;
      reject(
        new ExpectationFailure(
          "product_unreachable",
          `the product could not be reached (${code}: ${error.message})`,
        ),
      );
    };
    req.on("error", fail);
    req.end(call.body);
  });
}

function parseJson(text: string): { json?: unknown } {
  if (text === "") return {};
  try {
    return { json: JSON.parse(text) };
  } catch {
    return {};
  }
}

/**
 * A twin's cost per request: the same read and write routes served by raw `node:http` (the
 * ceiling), by a twin over HTTP with its journal and fault engine on, and by the same twin
 * in-process, and by the peer users pick today, Prism (`@stoplight/prism-cli` 5.14.2, the last
 * for Node 20) mocking an equivalent OpenAPI document; autocannon on 127.0.0.1, 50 connections.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
// @ts-expect-error autocannon ships no types
import autocannon from "autocannon";
import { createTwin, type TwinDefinition } from "../src/twins/index.js";

const ITEMS_OPENAPI = fileURLToPath(new URL("./fixtures/items.yaml", import.meta.url));
const PRISM = fileURLToPath(new URL("../node_modules/.bin/prism", import.meta.url));

const SECONDS = 4;
const CONNECTIONS = 50;
const ITEM = { id: "it_1", object: "item", amount: 1250, currency: "eur", metadata: {} };

interface Result {
  rps: number;
  p50: number;
  p99: number;
}

const itemsTwin: TwinDefinition<{ items: Record<string, unknown>; made: number }> = {
  name: "items",
  description: "one read and one write route, for the benchmark",
  initialState: () => ({ items: { it_1: ITEM }, made: 0 }),
  routes(app, twin) {
    app.get("/v1/items/:id", (c) => {
      const item = twin.state.items[c.req.param("id")];
      return item ? c.json(item) : c.json({ error: "missing" }, 404);
    });
    app.post("/v1/items", async (c) => {
      const body = (await c.req.json()) as Record<string, unknown>;
      twin.state.made += 1;
      return c.json({ ...ITEM, ...body, id: `it_${twin.state.made + 1}` }, 201);
    });
  },
  errors: { error: (status, message) => ({ body: { error: { message, status } } }) },
};

function rawServer(): Promise<{ url: string; close: () => void }> {
  let made = 0;
  const server = createServer((req, res) => {
    if (req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(ITEM));
      return;
    }
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      made += 1;
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...ITEM, ...JSON.parse(body), id: `it_${made + 1}` }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.close(),
      }),
    ),
  );
}

async function load(url: string, method: "GET" | "POST"): Promise<Result> {
  const result = await autocannon({
    url: method === "GET" ? `${url}/v1/items/it_1` : `${url}/v1/items`,
    method,
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(method === "POST"
      ? { body: '{"amount":500}', headers: { "content-type": "application/json" } }
      : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/** In-process: 50 requests in flight through `twin.fetch`, for the same time. */
async function inProcess(
  twin: ReturnType<typeof createTwin>,
  method: "GET" | "POST",
): Promise<Result> {
  let done = 0;
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const response = await twin.fetch(
        method === "GET"
          ? new Request("http://twin/v1/items/it_1")
          : new Request("http://twin/v1/items", {
              method: "POST",
              body: '{"amount":500}',
              headers: { "content-type": "application/json" },
            }),
      );
      await response.text();
      latencies.push(performance.now() - started);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))] ?? 0;
  return { rps: done / SECONDS, p50: at(0.5), p99: at(0.99) };
}

/** Prism's mock server on a free port; resolves once it says it listens. */
function startPrism(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(PRISM, ["mock", ITEMS_OPENAPI, "-p", String(port), "-h", "127.0.0.1"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let said = "";
    const timer = setTimeout(() => reject(new Error(`prism did not start: ${said}`)), 30_000);
    const listen = (chunk: Buffer) => {
      said += chunk;
      if (/listening/i.test(said)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on("data", listen);
    child.stderr.on("data", listen);
    child.once("error", reject);
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function benchTwins(): Promise<void> {
  const lines = [
    `twins (autocannon, ${CONNECTIONS} connections, ${SECONDS} s each, 127.0.0.1; ratios to raw node:http)`,
  ];
  const row = (name: string, r: Result, base: Result) =>
    `  ${name.padEnd(34)} ${Math.round(r.rps).toLocaleString("en").padStart(8)} req/s  ratio ${(r.rps / base.rps).toFixed(2)}   p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms (${(r.p99 / Math.max(base.p99, 0.001)).toFixed(2)}x)`;
  const raw = await rawServer();
  for (const method of ["GET", "POST"] as const) {
    const base = await load(raw.url, method);
    const twin = createTwin(itemsTwin, { faults: { rules: [{ route: "DELETE /never" }] } });
    const served = await twin.serve();
    const overHttp = await load(served.url, method);
    await served.close();
    const local = await inProcess(createTwin(itemsTwin), method);
    const prismPort = await freePort();
    const prism = await startPrism(prismPort).catch((error: Error) => error);
    const peer =
      prism instanceof Error ? undefined : await load(`http://127.0.0.1:${prismPort}`, method);
    if (!(prism instanceof Error)) prism.kill();
    const kind = method === "GET" ? "read" : "write";
    lines.push(
      row(`raw node:http, ${kind}`, base, base),
      row(`twin over HTTP, ${kind}`, overHttp, base),
      row(`twin in-process, ${kind}`, local, base),
      peer ? row(`Prism 5.14.2 mock, ${kind}`, peer, base) : `  Prism: ${(prism as Error).message}`,
      `    in-process / HTTP: ${(local.rps / overHttp.rps).toFixed(2)}x${peer ? `   twin HTTP / Prism: ${(overHttp.rps / peer.rps).toFixed(1)}x` : ""}`,
    );
    // The journal grows with every request: let it go between rounds.
    twin.reset();
  }
  raw.close();
  const memory = process.memoryUsage();
  lines.push(
    `  memory: rss ${(memory.rss / 1e6).toFixed(1)} MB, heap ${(memory.heapUsed / 1e6).toFixed(1)} MB`,
  );
  process.stdout.write(`\n${lines.join("\n")}\n`);
}

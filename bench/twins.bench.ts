/**
 * A twin's cost per request: the same read and write routes served by raw `node:http` (the
 * ceiling), by a twin over HTTP with its journal and fault engine on, by the same twin
 * in-process, and by the peer users pick today, Prism (`@stoplight/prism-cli` 5.14.2, the last
 * for Node 20) mocking an equivalent OpenAPI document. autocannon on 127.0.0.1, 50 connections.
 * Every server runs in a process of its own, so the load generator never shares its event loop;
 * each target is warmed up for a second, and raw and twin are measured back to back over rounds.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
// @ts-expect-error autocannon ships no types
import autocannon from "autocannon";
import { median, rssOf, startProcess } from "./support.js";

const SERVERS = fileURLToPath(new URL("./fixtures/items-servers.ts", import.meta.url));
const ITEMS_OPENAPI = fileURLToPath(new URL("./fixtures/items.yaml", import.meta.url));
const PRISM = fileURLToPath(new URL("../node_modules/.bin/prism", import.meta.url));

const SECONDS = 4;
const CONNECTIONS = 50;
const ROUNDS = 5;

interface Result {
  rps: number;
  p50: number;
  p99: number;
  /** The server process's resident memory at the end of the load, bytes. */
  rss: number;
}

type Method = "GET" | "POST";

async function load(url: string, method: Method, seconds: number): Promise<Omit<Result, "rss">> {
  const result = await autocannon({
    url: method === "GET" ? `${url}/v1/items/it_1` : `${url}/v1/items`,
    method,
    connections: CONNECTIONS,
    duration: seconds,
    ...(method === "POST"
      ? { body: '{"amount":500}', headers: { "content-type": "application/json" } }
      : {}),
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function measureServer(mode: "raw" | "twin", method: Method): Promise<Result> {
  const { child, line } = await startProcess(
    process.execPath,
    ["--import", "tsx", SERVERS, mode],
    /^port \d+/,
  );
  try {
    const url = `http://127.0.0.1:${line.split(" ")[1]}`;
    await load(url, method, 1);
    const result = await load(url, method, SECONDS);
    return { ...result, rss: rssOf(child) };
  } finally {
    child.kill();
  }
}

async function measureInProcess(method: Method): Promise<Result> {
  const { child, line } = await startProcess(
    process.execPath,
    ["--import", "tsx", SERVERS, "in-process", method, String(SECONDS), String(CONNECTIONS)],
    /^\{/,
  );
  child.kill();
  return JSON.parse(line) as Result;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function measurePrism(method: Method): Promise<Result | Error> {
  const port = await freePort();
  const started = await startProcess(
    PRISM,
    ["mock", ITEMS_OPENAPI, "-p", String(port), "-h", "127.0.0.1"],
    /listening/i,
  ).catch((error: Error) => error);
  if (started instanceof Error) return started;
  try {
    const url = `http://127.0.0.1:${port}`;
    await load(url, method, 1);
    return { ...(await load(url, method, SECONDS)), rss: rssOf(started.child) };
  } finally {
    started.child.kill();
  }
}

export async function benchTwins(): Promise<void> {
  const lines = [
    `twins (autocannon, ${CONNECTIONS} connections, ${SECONDS} s after 1 s of warm-up, 127.0.0.1; each server in its own process; raw and twin: the median of ${ROUNDS} rounds)`,
  ];
  const row = (name: string, r: Result, base: Result) =>
    `  ${name.padEnd(30)} ${Math.round(r.rps).toLocaleString("en").padStart(8)} req/s  ${(r.rps / base.rps).toFixed(2)}x   p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms (${(r.p99 / Math.max(base.p99, 0.001)).toFixed(2)}x)   rss ${(r.rss / 1e6).toFixed(0)} MB`;
  for (const method of ["GET", "POST"] as const) {
    // Raw and twin back to back in each round: the machine drifts between rounds, so the
    // round's own ratio is what is compared, and the median round is the one shown.
    const rounds: { raw: Result; twin: Result }[] = [];
    for (let round = 0; round < ROUNDS; round++)
      rounds.push({
        raw: await measureServer("raw", method),
        twin: await measureServer("twin", method),
      });
    const { raw: base, twin: overHttp } = median(rounds, (r) => r.twin.rps / r.raw.rps);
    const local = await measureInProcess(method);
    const peer = await measurePrism(method);
    const kind = method === "GET" ? "read" : "write";
    lines.push(
      row(`raw node:http, ${kind}`, base, base),
      row(`twin over HTTP, ${kind}`, overHttp, base),
      row(`twin in-process, ${kind}`, local, base),
      peer instanceof Error
        ? `  Prism: ${peer.message}`
        : row(`Prism 5.14.2 mock, ${kind}`, peer, base),
      `    in-process / HTTP: ${(local.rps / overHttp.rps).toFixed(2)}x${peer instanceof Error ? "" : `   twin HTTP / Prism: ${(overHttp.rps / peer.rps).toFixed(1)}x`}   twin / raw by round: ${rounds.map((r) => (r.twin.rps / r.raw.rps).toFixed(2)).join(" ")}`,
    );
  }
  process.stdout.write(`\n${lines.join("\n")}\n`);
}

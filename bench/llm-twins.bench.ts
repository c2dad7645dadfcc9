/**
 * The anthropic twin's streamed completions per second over HTTP, against raw `node:http`
 * writing the same bytes (the twin's own events for the request, after reading it). Each
 * server runs in a process of its own (this file, started with `raw` or `twin`), warmed up for
 * a second; raw and twin are measured back to back over rounds and the median round is shown.
 * autocannon on 127.0.0.1, the twin's journal and fault engine on.
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
// @ts-expect-error autocannon ships no types
import autocannon from "autocannon";
import { anthropicTwin, createTwin } from "../src/twins/index.js";
import { median, rssOf, startProcess } from "./support.js";

const SELF = fileURLToPath(import.meta.url);
const SECONDS = 4;
const CONNECTIONS = 50;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

/** One catch-all turn: a paragraph and a tool call, about thirty events streamed. */
const CASSETTE = {
  turns: [
    {
      id: "answer",
      reply: {
        text: "Digital twins stand in for the services a program talks to. They answer as the real service would, from a script, so that a test runs offline, quickly and the same way every time.",
        tool_calls: [{ name: "read_file", input: { path: "src/app.ts", lines: [1, 40] } }],
      },
    },
  ],
};
const HEADERS = {
  "content-type": "application/json",
  "x-api-key": "sk-ant-bench",
  "anthropic-version": "2023-06-01",
};
const BODY = JSON.stringify({
  model: "claude-bench",
  max_tokens: 1024,
  stream: true,
  tools: [{ name: "read_file", input_schema: { type: "object" } }],
  messages: [{ role: "user", content: "Please fix the bug in src/app.ts" }],
});
// A rule that never matches: the fault engine still judges every request.
const FAULTS = { rules: [{ route: "DELETE /never", error_rate: 1 }] };

const makeTwin = () =>
  createTwin(anthropicTwin, { faults: FAULTS, options: { cassette: CASSETTE } });

/** The twin's own answer to the benchmark's request: what the raw server writes. */
async function twinAnswer(): Promise<string> {
  const response = await makeTwin().fetch(
    new Request("http://twin/v1/messages", { method: "POST", headers: HEADERS, body: BODY }),
  );
  const text = await response.text();
  if (!text.includes("message_stop")) throw new Error(`the twin did not stream: ${text}`);
  return text;
}

async function raw(): Promise<number> {
  const body = await twinAnswer();
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
      });
      res.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  /** The server process's resident memory at the end of the load, bytes. */
  rss: number;
  /** Responses that were not a whole stream (non-2xx or errors): should be 0. */
  failed: number;
}

async function load(url: string, seconds: number): Promise<Omit<Result, "rss">> {
  const result = await autocannon({
    url: `${url}/v1/messages`,
    method: "POST",
    connections: CONNECTIONS,
    duration: seconds,
    body: BODY,
    headers: HEADERS,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
  };
}

async function startServer(mode: "raw" | "twin"): Promise<{ child: ChildProcess; port: number }> {
  const { child, line } = await startProcess(
    process.execPath,
    ["--import", "tsx", SELF, mode],
    /^port \d+/,
  );
  return { child, port: Number(line.split(" ")[1]) };
}

async function measure(mode: "raw" | "twin"): Promise<Result> {
  const { child, port } = await startServer(mode);
  try {
    const url = `http://127.0.0.1:${port}`;
    await load(url, 1);
    const result = await load(url, SECONDS);
    return { ...result, rss: rssOf(child) };
  } finally {
    child.kill();
  }
}

export async function benchLlmTwins(): Promise<void> {
  const events = (await twinAnswer()).split("\n\n").length - 1;
  const lines = [
    `llm twins: anthropic streamed completions (${events} events each; autocannon, ${CONNECTIONS} connections, ${SECONDS} s after 1 s of warm-up, 127.0.0.1; each server in its own process; the median of ${ROUNDS} rounds by ratio)`,
  ];
  const rounds: { raw: Result; twin: Result }[] = [];
  for (let round = 0; round < ROUNDS; round++)
    rounds.push({ raw: await measure("raw"), twin: await measure("twin") });
  const { raw: base, twin } = median(rounds, (r) => r.twin.rps / r.raw.rps);
  const row = (name: string, r: Result) =>
    `  ${name.padEnd(34)} ${Math.round(r.rps).toLocaleString("en").padStart(8)} streams/s  ${(r.rps / base.rps).toFixed(2)}x   p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms (${(r.p99 / Math.max(base.p99, 0.001)).toFixed(2)}x)   rss ${(r.rss / 1e6).toFixed(0)} MB${r.failed ? `   ${r.failed} failed` : ""}`;
  lines.push(
    row("raw node:http, same bytes", base),
    row("anthropic twin over HTTP", twin),
    `    twin / raw by round: ${rounds.map((r) => (r.twin.rps / r.raw.rps).toFixed(2)).join(" ")}`,
  );
  process.stdout.write(`\n${lines.join("\n")}\n`);
}

// Started as a server by `measure`, not imported by bench/run.ts.
if (process.argv[1] === SELF) {
  const mode = process.argv[2];
  if (mode === "raw") process.stdout.write(`port ${await raw()}\n`);
  else if (mode === "twin") process.stdout.write(`port ${(await makeTwin().serve()).port}\n`);
  else if (mode === "run") await benchLlmTwins();
  else {
    process.stderr.write("usage: llm-twins.bench.ts raw | twin | run\n");
    process.exit(2);
  }
}

import { randomUUID } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Bridge, bridgeTargets, bridgeUrls, openBridge, urlInside } from "./bridge.js";
import { createBwrapSandbox } from "./bwrap-sandbox.js";
import { createProcessSandbox } from "./process-sandbox.js";
import { createSandboxFixture, type SandboxFixture, strayProcesses } from "./sandbox.fixture.js";
import type { SandboxRun } from "./sandbox.js";
import { SANDBOX_UID } from "./sandbox-user.js";

/** A host HTTP server on 127.0.0.1 that answers with who it is and the path asked for. */
async function listen(name: string): Promise<{ server: Server; url: string; open: Set<Socket> }> {
  const open = new Set<Socket>();
  const server = createServer((req, res) => res.end(`${name} ${req.method} ${req.url}`));
  server.on("connection", (socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, open };
}

/** A port nothing listens on: a server's, closed again. */
async function deadUrl(): Promise<string> {
  const { server, url } = await listen("dead");
  await new Promise((resolve) => server.close(resolve));
  return url;
}

/** Node inside the sandbox, printing the answer or the error code of one GET. */
const fetchInside = (url: string) =>
  `node -e 'fetch(process.argv[1]).then(async (r) => console.log(r.status, await r.text()), (e) => console.log("error", e.cause?.code ?? e.message))' '${url}'`;

describe("bridgeTargets and urlInside", () => {
  it("keeps a URL's own port when it can, else picks a free one of 1024 or more", () => {
    expect(
      bridgeTargets(["http://127.0.0.1:4000/v1", "https://api.example.com", "http://a:4000"]),
    ).toEqual([
      { port: 4000, url: "http://127.0.0.1:4000/v1" },
      { port: 18080, url: "https://api.example.com" },
      { port: 18081, url: "http://a:4000" },
    ]);
    expect(urlInside({ port: 4000, url: "http://127.0.0.1:4000/v1" })).toBe(
      "http://127.0.0.1:4000/v1",
    );
    expect(urlInside({ port: 18080, url: "https://api.example.com" })).toBe(
      "http://127.0.0.1:18080",
    );
    expect(urlInside({ port: 18080, url: "https://h/x/?a=1" })).toBe(
      "http://127.0.0.1:18080/x/?a=1",
    );
  });

  it("refuses low ports, duplicate ports and URLs that are not http(s)", async () => {
    await expect(openBridge([{ port: 80, url: "http://h" }])).rejects.toMatchObject({
      code: "bridge-port-invalid",
    });
    await expect(openBridge([{ port: 5000, url: "ftp://h" }])).rejects.toMatchObject({
      code: "bridge-url-invalid",
    });
    const twice = [
      { port: 5000, url: "http://a" },
      { port: 5000, url: "http://b" },
    ];
    await expect(openBridge(twice)).rejects.toMatchObject({ code: "bridge-port-duplicate" });
  });
});

describe("openBridge with the bwrap sandbox", () => {
  const sandbox = createBwrapSandbox();
  let fx: SandboxFixture;
  let target: Awaited<ReturnType<typeof listen>>;
  let bystander: Awaited<ReturnType<typeof listen>>;
  let bridge: Bridge | undefined;
  const run = (command: string, extra: Partial<SandboxRun> = {}) =>
    sandbox.run({ command, worktree: fx.worktree, timeoutMs: 20_000, bridge, ...extra });

  beforeAll(async () => {
    fx = await createSandboxFixture();
    target = await listen("target");
    bystander = await listen("bystander");
  });
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });
  afterAll(async () => {
    target.server.close();
    bystander.server.close();
    await fx.cleanup();
  });

  it("reaches a target with real HTTP requests, from node and from curl, as the sandbox user", async () => {
    bridge = await openBridge(bridgeTargets([`${target.url}/v1`]));
    const inside = urlInside(bridge.targets[0] ?? { port: 0, url: "" });
    expect(inside).toBe(`${target.url}/v1`);
    const result = await run(
      `id -u; ${fetchInside(`${inside}/messages`)}; curl -sS -X POST ${inside}/count; echo`,
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      `${process.getuid?.() === 0 ? SANDBOX_UID : process.getuid?.()}\n200 target GET /v1/messages\ntarget POST /v1/count\n`,
    );
  });

  it("reaches nothing else of the host: a loopback server that is not a target is refused", async () => {
    bridge = await openBridge(bridgeTargets([target.url]));
    const result = await run(`${fetchInside(bystander.url)}; curl -sS -m 5 ${bystander.url}`);
    expect(result.stdout).toBe("error ECONNREFUSED\n");
    expect(result.stderr).toMatch(/curl: \(7\)/);
    expect(bystander.open.size).toBe(0);
  });

  it("gives a connection error inside, not a hang, when a target is down", async () => {
    const dead = await deadUrl();
    bridge = await openBridge(bridgeTargets([dead]));
    const result = await run(`${fetchInside(dead)}; curl -sS -m 10 ${dead}; echo "curl $?"`);
    // Reset as the request goes out: node may still be writing it (EPIPE), and curl may not
    // have seen the connection as made yet (7, "could not connect").
    expect(result.stdout).toMatch(/^error E(CONNRESET|PIPE)\ncurl (7|56)\n$/);
    expect(result.ms).toBeLessThan(5_000);
  });

  it("exposes a port the command listens on to the host, and nothing but that port", async () => {
    bridge = await openBridge(bridgeTargets([target.url]), { expose: [3000] });
    const server = `node -e "require('http').createServer((q,s)=>s.end('product '+q.url)).listen(3000,'127.0.0.1')"`;
    const controller = new AbortController();
    const running = run(server, { signal: controller.signal });
    const url = bridge.exposedUrl(3000);
    let answer = "";
    for (let tries = 0; tries < 100 && answer === ""; tries++) {
      answer = await fetch(`${url}/hello`, { signal: AbortSignal.timeout(2_000) })
        .then((response) => response.text())
        .catch(() => "");
      if (answer === "") await new Promise((resolve) => setTimeout(resolve, 50));
    }
    controller.abort();
    await running;
    expect(answer).toBe("product /hello");
    expect(() => bridge?.exposedUrl(3001)).toThrow(/not exposed/);
    // Once the command is gone, the host side is refused or reset, never answered.
    await expect(fetch(`${url}/again`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  });

  it("starts the command only once the forwarder listens, and exits as the command does", async () => {
    bridge = await openBridge(bridgeTargets([target.url]));
    const result = await run(`curl -sS ${target.url}/first; exit 7`);
    expect(result).toMatchObject({ exitCode: 7, stdout: "target GET /first", stderr: "" });
    const killed = await run("kill -KILL $$");
    expect(killed.exitCode === 137 || killed.signal === "SIGKILL").toBe(true);
  });

  it("ends with the run: connections are cut and no forwarder is left", async () => {
    bridge = await openBridge(bridgeTargets([target.url]));
    const marker = `df-bridge-${randomUUID()}`;
    // A request left hanging in the background: the keep-alive connection outlives the shell.
    const hold = `node -e 'fetch(process.argv[1]).then(() => setTimeout(() => {}, 60000))' '${target.url}/${marker}' &`;
    const result = await run(`${hold} sleep 1; echo ${marker}`);
    expect(result.stdout).toBe(`${marker}\n`);
    expect(await strayProcesses(marker)).toEqual([]);
    const until = Date.now() + 2_000;
    while (target.open.size > 0 && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(target.open.size).toBe(0);
  });

  it("keeps the socket folder private to the sandbox user, and removes it on close", async () => {
    const opened = await openBridge(bridgeTargets([target.url]));
    const info = statSync(opened.dir);
    expect(info.mode & 0o777).toBe(0o700);
    expect(info.uid).toBe(process.getuid?.() === 0 ? SANDBOX_UID : process.getuid?.());
    await opened.close();
    expect(existsSync(opened.dir)).toBe(false);
  });

  it("refuses a run with both a bridge and the network", async () => {
    bridge = await openBridge(bridgeTargets([target.url]));
    await expect(run("true", { network: true })).rejects.toMatchObject({
      code: "sandbox-bridge-with-network",
    });
  });
});

describe("bridgeUrls", () => {
  let fx: SandboxFixture;
  let target: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    fx = await createSandboxFixture();
    target = await listen("target");
  });
  afterAll(async () => {
    target.server.close();
    await fx.cleanup();
  });

  it("opens a bridge for bwrap, whose URLs work inside", async () => {
    const bridged = await bridgeUrls(createBwrapSandbox(), [`${target.url}/v1`]);
    try {
      expect(bridged.bridge).toBeDefined();
      const result = await createBwrapSandbox().run({
        command: `curl -sS ${bridged.urls[0]}/x`,
        worktree: fx.worktree,
        bridge: bridged.bridge,
      });
      expect(result.stdout).toBe("target GET /v1/x");
    } finally {
      await bridged.close();
    }
  });

  // The process sandbox cannot isolate the network: the URL passes through as is.
  it("passes URLs through for the process sandbox, which ignores a bridge", async () => {
    const sandbox = createProcessSandbox();
    const bridged = await bridgeUrls(sandbox, ["https://api.example.com/v1"]);
    expect(bridged).toMatchObject({ urls: ["https://api.example.com/v1"], bridge: undefined });
    const bridge = await openBridge(bridgeTargets([target.url]));
    try {
      const result = await sandbox.run({
        command: `curl -sS ${target.url}/direct`,
        worktree: fx.worktree,
        bridge,
      });
      expect(result.stdout).toBe("target GET /direct");
    } finally {
      await bridge.close();
    }
  });
});

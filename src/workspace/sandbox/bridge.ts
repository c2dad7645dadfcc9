/**
 * The host half of the network bridge (DESIGN §5): a sandbox without a network reaches named
 * services, and nothing else, through Unix sockets that forward to them. The inside half is
 * sandbox-forwarder.mjs, which bwrap runs in front of the command.
 */
import { once } from "node:events";
import { chmod, chown, copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { type AddressInfo, connect, createServer, isIP, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { fileURLToPath } from "node:url";
import { InputError } from "../../common/index.js";
import type { Sandbox } from "./sandbox.js";
import { SANDBOX_GID, SANDBOX_UID } from "./sandbox-user.js";

/** One service to reach: inside the sandbox at 127.0.0.1:`port`, forwarded to `url`'s host and port. */
export interface BridgeTarget {
  /** 1024 or more: the command runs unprivileged and cannot listen below. */
  port: number;
  /** `http:` targets are forwarded as TCP; `https:` ones get TLS on the host side (see openBridge). */
  url: string;
}

/** An open bridge, passed as `SandboxRun.bridge` to every run that may use it. */
export interface Bridge {
  /** A private host folder holding `<port>.sock` per target and the forwarder script. */
  readonly dir: string;
  readonly targets: readonly BridgeTarget[];
  /**
   * Ports the command itself listens on inside the sandbox, reachable from the host the other
   * way round: the forwarder serves `out/<port>.sock` for each, and the host forwards
   * `exposedUrl(port)` to it. How a product started in the sandbox is tested from outside.
   */
  readonly exposed: readonly number[];
  /** `http://127.0.0.1:<host port>`, forwarded to the command's 127.0.0.1:`port` inside. */
  exposedUrl(port: number): string;
  /** What a command inside the bwrap sandbox calls `target.url`: `http://127.0.0.1:<port>` and the URL's path. */
  urlInside(target: BridgeTarget): string;
  /** Stops forwarding, cuts open connections and removes the folder. */
  close(): Promise<void>;
}

/** The folder of `Bridge.dir` that holds the sockets of exposed ports, writable in the sandbox. */
export const EXPOSED_FOLDER = "out";
/** Where the bwrap sandbox mounts `Bridge.dir`, read-only. */
export const BRIDGE_MOUNT = "/run/darkfactory-bridge";
export const FORWARDER_FILE = "sandbox-forwarder.mjs";
const FORWARDER = fileURLToPath(new URL(`./${FORWARDER_FILE}`, import.meta.url));

/**
 * Opens one Unix socket per target in a fresh folder, each connection to it forwarded to the
 * target's host and port. The folder belongs to the sandbox user when the factory is root (so
 * that user, and no other, can connect), else to the factory's user; it is mode 0700 either
 * way. An `https:` target is forwarded with TLS added on the host, so the command speaks
 * plain HTTP to 127.0.0.1 and the certificate is checked against the real host name; its
 * requests carry `Host: 127.0.0.1:<port>`, which a server behind a CDN may refuse.
 */
export async function openBridge(
  targets: BridgeTarget[],
  options: { expose?: number[] } = {},
): Promise<Bridge> {
  const parsed = targets.map(checkTarget);
  const exposed = options.expose ?? [];
  for (const port of exposed) checkTarget({ port, url: "http://127.0.0.1" });
  const ports = new Set([...targets.map((target) => target.port), ...exposed]);
  if (ports.size !== targets.length + exposed.length)
    throw new InputError("bridge-port-duplicate", "Two bridge targets share a port.", {
      hint: "give each target its own port (bridgeTargets picks them).",
    });
  const dir = await mkdtemp(join(tmpdir(), "df-bridge-"));
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const hostPorts = new Map<number, number>();
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await copyFile(FORWARDER, join(dir, FORWARDER_FILE));
    await chmod(join(dir, FORWARDER_FILE), 0o444);
    for (const [index, target] of targets.entries()) {
      const url = parsed[index] as URL;
      const server = createServer((client) => pipeTo(client, url, sockets));
      servers.push(server);
      const path = join(dir, `${target.port}.sock`);
      server.listen(path);
      await once(server, "listening");
      await chmod(path, 0o600);
      if (process.getuid?.() === 0) await chown(path, SANDBOX_UID, SANDBOX_GID);
    }
    if (exposed.length > 0) {
      // The one folder the sandbox may write in: the forwarder makes its sockets there.
      await mkdir(join(dir, EXPOSED_FOLDER), { mode: 0o700 });
      if (process.getuid?.() === 0)
        await chown(join(dir, EXPOSED_FOLDER), SANDBOX_UID, SANDBOX_GID);
    }
    for (const port of exposed) {
      const socketPath = join(dir, EXPOSED_FOLDER, `${port}.sock`);
      const server = createServer((client) => pipeTo(client, { socketPath }, sockets));
      servers.push(server);
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      hostPorts.set(port, (server.address() as AddressInfo).port);
    }
    if (process.getuid?.() === 0) await chown(dir, SANDBOX_UID, SANDBOX_GID);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    dir,
    targets: targets.map((target) => ({ ...target })),
    exposed: [...exposed],
    exposedUrl(port) {
      const hostPort = hostPorts.get(port);
      if (hostPort === undefined)
        throw new InputError(
          "bridge-port-not-exposed",
          `Port ${port} is not exposed by this bridge.`,
        );
      return `http://127.0.0.1:${hostPort}`;
    },
    urlInside: (target) => urlInside(target),
    close,
  };
}

/** What a run should call each URL, and the bridge to pass it, if any. */
export interface BridgedUrls {
  urls: string[];
  bridge: Bridge | undefined;
  close(): Promise<void>;
}

/**
 * Bridges `urls` for runs in `sandbox`: in bwrap, through a bridge whose 127.0.0.1 URLs
 * replace them; in the process sandbox, which has the host's network and cannot isolate it,
 * the URLs pass through as they are and no bridge is opened.
 */
export async function bridgeUrls(
  sandbox: Pick<Sandbox, "mode">,
  urls: string[],
): Promise<BridgedUrls> {
  if (sandbox.mode !== "bwrap" || urls.length === 0)
    return { urls, bridge: undefined, close: async () => {} };
  const bridge = await openBridge(bridgeTargets(urls));
  return { urls: bridge.targets.map(urlInside), bridge, close: () => bridge.close() };
}

/**
 * Targets for these URLs, each inside at its own port when that is 1024 or more and not
 * taken (so a URL to 127.0.0.1 reads the same inside), else at the next free one from 18080.
 */
export function bridgeTargets(urls: string[]): BridgeTarget[] {
  const taken = new Set<number>();
  const targets: BridgeTarget[] = [];
  let next = 18080;
  for (const url of urls) {
    const own = Number(checkTarget({ port: 1024, url }).port || 0);
    let port = own;
    if (port < 1024 || taken.has(port)) {
      while (taken.has(next)) next++;
      port = next;
    }
    taken.add(port);
    targets.push({ port, url });
  }
  return targets;
}

/** `http://127.0.0.1:<port>` with the target's path and query, trailing slash as given. */
export function urlInside(target: BridgeTarget): string {
  const url = new URL(target.url);
  const path = url.pathname === "/" && !target.url.endsWith("/") ? "" : url.pathname;
  return `http://127.0.0.1:${target.port}${path}${url.search}`;
}

function connectTo(url: URL): Socket {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const tls = url.protocol === "https:";
  const port = Number(url.port || (tls ? 443 : 80));
  return tls
    ? tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }) })
    : connect(port, host);
}

function checkTarget(target: BridgeTarget): URL {
  if (!Number.isInteger(target.port) || target.port < 1024 || target.port > 65535)
    throw new InputError("bridge-port-invalid", `Bridge port ${target.port} is not usable.`, {
      hint: "use a port from 1024 to 65535: the sandbox user cannot listen below 1024.",
    });
  const url = URL.canParse(target.url) ? new URL(target.url) : undefined;
  if (url?.protocol !== "http:" && url?.protocol !== "https:")
    throw new InputError("bridge-url-invalid", `Not an http(s) URL to bridge: ${target.url}`, {
      hint: "give the service's base URL, such as http://127.0.0.1:4000/v1.",
    });
  return url;
}

function pipeTo(client: Socket, to: URL | { socketPath: string }, sockets: Set<Socket>): void {
  const upstream = "socketPath" in to ? connect(to.socketPath) : connectTo(to);
  sockets.add(client);
  sockets.add(upstream);
  client.pipe(upstream);
  upstream.pipe(client);
  // Either side failing ends both; the forwarder inside turns an unanswered close into a reset.
  const end = () => {
    client.destroy();
    upstream.destroy();
    sockets.delete(client);
    sockets.delete(upstream);
  };
  client.on("error", end);
  upstream.on("error", end);
  client.on("close", end);
  upstream.on("close", end);
}

/**
 * The product under test: installed and built once per worktree, then started in the sandbox,
 * since it is agent-written code. In bwrap it has no network: it reaches its twins through the
 * bridge's Unix sockets, and the runner reaches it through a port the bridge exposes.
 */
import { createServer } from "node:net";
import {
  type Bridge,
  bridgeTargets,
  openBridge,
  type Sandbox,
  type SandboxResult,
  urlInside,
} from "../../workspace/index.js";
import type { Scenario } from "../scenario-schema.js";
import { sendHttp } from "./http-client.js";
import { ExpectationFailure, render, type Variables } from "./values.js";

type ProductSpec = Scenario["product"];

/** A product that will not install or build: every trajectory that needs it fails with this. */
export class ProductSetupError extends Error {}

const SETUP_TIMEOUT_MS = 10 * 60_000;
/** A product lives as long as the run that started it; this only bounds one that is forgotten. */
const PRODUCT_LIFETIME_MS = 6 * 60 * 60_000;
const OUTPUT_TAIL = 4_000;

/** Runs the product's install and build commands once each per worktree and command. */
export function createProductSetup(sandbox: Sandbox, worktree: string, signal?: AbortSignal) {
  const done = new Map<string, Promise<void>>();
  const once = (command: string, stage: "install" | "build") => {
    let step = done.get(command);
    if (!step) {
      step = (async () => {
        const result = await sandbox.run({
          command,
          worktree,
          timeoutMs: SETUP_TIMEOUT_MS,
          // Installing fetches packages, as the factory's own install step does.
          network: stage === "install",
          ...(signal ? { signal } : {}),
        });
        if (result.exitCode !== 0)
          throw new ProductSetupError(
            `the product's ${stage} (\`${command}\`) ${describeExit(result)}: ${tail(result.stdout + result.stderr, 600)}`,
          );
      })();
      done.set(command, step);
    }
    return step;
  };
  return async (product: ProductSpec) => {
    if (product.install) await once(product.install, "install");
    if (product.build) await once(product.build, "build");
  };
}

export interface ProductLaunch {
  sandbox: Sandbox;
  worktree: string;
  product: ProductSpec;
  /** Each twin's URL on the host, by name. */
  twinUrls: Record<string, string>;
  /** Values for the product's `env` beyond twins and port: a trajectory's inputs, say. */
  vars?: Variables;
  signal?: AbortSignal;
}

export interface RunningProduct {
  /** Where the runner reaches it: `http://127.0.0.1:<port>`. */
  url: string;
  /** The end of what it printed, for the evidence of a failure. */
  output(): string;
  /** Set once it has exited, with how. */
  exited(): SandboxResult | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the product and waits until its readiness path answers 2xx. A product that exits or
 * never answers fails with `product_not_ready` and the end of its output.
 */
export async function startProduct(launch: ProductLaunch): Promise<RunningProduct> {
  const { sandbox, product } = launch;
  const names = Object.keys(launch.twinUrls);
  let bridge: Bridge | undefined;
  let port = product.port;
  const vars: Variables = { ...launch.vars };
  if (sandbox.mode === "bwrap") {
    // The product's own port is taken inside; the twins listen beside it.
    const targets = bridgeTargets([
      `http://127.0.0.1:${port}`,
      ...Object.values(launch.twinUrls),
    ]).slice(1);
    bridge = await openBridge(targets, { expose: [port] });
    for (const [index, name] of names.entries())
      vars[`twins.${name}.url`] = urlInside(targets[index] as (typeof targets)[number]);
  } else {
    // The process sandbox shares the host's network: each product needs a port of its own.
    port = await freePort();
    for (const name of names) vars[`twins.${name}.url`] = launch.twinUrls[name];
  }
  vars["product.port"] = port;
  let env: Record<string, string>;
  try {
    env = Object.fromEntries(
      Object.entries(product.env).map(([name, value]) => [name, String(render(value, vars))]),
    );
  } catch (error) {
    await bridge?.close();
    throw error;
  }
  const url = bridge ? bridge.exposedUrl(port) : `http://127.0.0.1:${port}`;

  let output = "";
  let result: SandboxResult | undefined;
  const controller = new AbortController();
  const abortWith = () => controller.abort();
  launch.signal?.addEventListener("abort", abortWith, { once: true });
  const running = sandbox
    .run({
      command: product.start,
      worktree: launch.worktree,
      env,
      timeoutMs: PRODUCT_LIFETIME_MS,
      signal: controller.signal,
      ...(bridge ? { bridge } : {}),
      onOutput: (_stream, chunk) => {
        output = (output + chunk).slice(-OUTPUT_TAIL);
      },
    })
    .then((done) => {
      result = done;
      return done;
    });
  const stop = async () => {
    controller.abort();
    launch.signal?.removeEventListener("abort", abortWith);
    await running.catch(() => undefined);
    await bridge?.close();
  };
  const ready = render(product.ready, vars) as string;
  const deadline = Date.now() + product.ready_timeout_s * 1000;
  let last = "it never answered";
  while (true) {
    if (result) {
      await stop();
      throw new ExpectationFailure(
        "product_not_ready",
        `the product exited before it was ready (${describeExit(result)}): ${tail(output, 600)}`,
      );
    }
    if (Date.now() > deadline || controller.signal.aborted) {
      await stop();
      throw new ExpectationFailure(
        "product_not_ready",
        `the product was not ready within ${product.ready_timeout_s} s (${last}): ${tail(output, 600)}`,
      );
    }
    try {
      const answer = await sendHttp(`${url}${ready}`, {
        method: "GET",
        headers: {},
        timeoutMs: 2_000,
      });
      if (answer.status >= 200 && answer.status < 300) break;
      last = `${ready} answered ${answer.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, output: () => output, exited: () => result, stop };
}

function describeExit(result: SandboxResult): string {
  if (result.timedOut) return "timed out";
  return result.signal ? `was killed by ${result.signal}` : `exited ${result.exitCode}`;
}

function tail(text: string, max: number): string {
  const trimmed = text.trim();
  return trimmed === ""
    ? "(no output)"
    : trimmed.length > max
      ? `…${trimmed.slice(-max)}`
      : trimmed;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

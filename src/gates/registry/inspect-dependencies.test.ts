import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServedTwin, serveTwins } from "../../twins/index.js";
import type { DependencyFacts } from "../facts/change-facts.js";
import { inspectDependencies } from "./inspect-dependencies.js";

let twin: ServedTwin;
let now: Date;

beforeAll(async () => {
  [twin] = (await serveTwins(["npm-registry"], { seed: "gates-registry" })) as [ServedTwin];
  // The twin's clock is virtual: ages are measured from its "now", as a real run measures from today.
  const clock = (await (await fetch(`${twin.url}/__twin/clock`)).json()) as { now: number };
  now = new Date(clock.now);
});
afterAll(async () => {
  await twin.close();
});

async function inspect(name: string, spec = "*", dev = false): Promise<DependencyFacts> {
  const [facts] = await inspectDependencies([{ name, spec, dev }], {
    registry: twin.url,
    downloads: twin.url,
    timeoutMs: 5_000,
    now: () => now,
  });
  return facts as DependencyFacts;
}

describe("inspectDependencies against the npm registry twin", () => {
  it("finds express old, popular, clean and resolves the range npm would", async () => {
    const facts = await inspect("express", "^4.18.0");
    expect(facts).toMatchObject({ name: "express", spec: "^4.18.0", similar_to: "", distance: 0 });
    expect(facts.registry).toMatchObject({
      checked: true,
      error: "",
      exists: true,
      version: "4.21.2",
      install_scripts: [],
      advisories: [],
      max_severity: "",
    });
    expect(facts.registry.age_days).toBeGreaterThan(2_000);
    expect(facts.registry.version_age_days).toBe(390);
    expect(facts.registry.weekly_downloads).toBe(41_000_000);
  });

  it("takes the latest tag for a tag or `*`", async () => {
    expect((await inspect("express", "latest")).registry.version).toBe("5.1.0");
    expect((await inspect("express", "latest-4")).registry.version).toBe("4.21.2");
    expect((await inspect("express", "*")).registry.version).toBe("5.1.0");
  });

  it("sees expresss as a young look-alike of express that runs a postinstall script", async () => {
    const facts = await inspect("expresss", "^1.0.0");
    expect(facts.similar_to).toBe("express");
    expect(facts.distance).toBe(1);
    expect(facts.registry).toMatchObject({ checked: true, exists: true, version: "1.0.1" });
    expect(facts.registry.age_days).toBe(3);
    expect(facts.registry.install_scripts).toEqual(["postinstall"]);
    expect(facts.registry.weekly_downloads).toBe(37);
  });

  it("reports a name the registry does not have as not existing, yet checked", async () => {
    const facts = await inspect("leftpadd", "^1.0.0");
    expect(facts.registry).toMatchObject({ checked: true, exists: false, version: "" });
    expect(facts.similar_to).toBe("left-pad");
  });

  it("reports a critical advisory on the resolved version", async () => {
    const facts = await inspect("event-stream", "3.3.6");
    expect(facts.registry.version).toBe("3.3.6");
    expect(facts.registry.max_severity).toBe("critical");
    expect(facts.registry.advisories).toEqual([
      expect.objectContaining({
        severity: "critical",
        url: "https://github.com/advisories/GHSA-mh6f-8j2x-4483",
      }),
    ]);
    // A later version is not affected.
    expect((await inspect("event-stream", "^4.0.0")).registry.advisories).toEqual([]);
  });

  it("ranks the worst of several advisories", async () => {
    const facts = await inspect("lodash", "4.17.15");
    expect(facts.registry.advisories.map((a) => a.severity)).toEqual(["high", "high"]);
    expect(facts.registry.max_severity).toBe("high");
  });

  it("reports a package first published two days ago, with no other fault", async () => {
    const facts = await inspect("quartz-clock", "^0.1.0");
    expect(facts.registry).toMatchObject({ checked: true, exists: true, version: "0.1.0" });
    expect(facts.registry.age_days).toBe(2);
    expect(facts.registry.install_scripts).toEqual([]);
    expect(facts.similar_to).toBe("");
  });

  it("catches loadsh by its name alone: old enough, no install script", async () => {
    const facts = await inspect("loadsh", "^4.17.0");
    expect(facts.registry.age_days).toBeGreaterThanOrEqual(400);
    expect(facts.registry.install_scripts).toEqual([]);
    expect(facts).toMatchObject({ similar_to: "lodash", distance: 1 });
  });

  it("sees crossenv as cross-env without its separator", async () => {
    const facts = await inspect("crossenv", "^7.0.0");
    expect(facts).toMatchObject({ similar_to: "cross-env", distance: 0 });
  });

  it("encodes scoped names as npm does", async () => {
    const facts = await inspect("@twin/logger", "^1.0.0");
    expect(facts.registry).toMatchObject({ checked: true, exists: true, version: "1.1.0" });
    expect(facts.registry.weekly_downloads).toBe(1_200);
  });

  it("judges the package an npm: alias installs, not the name it hides behind", async () => {
    const facts = await inspect("lodash", "npm:lodahs@^4.17.0");
    expect(facts.name).toBe("lodash");
    expect(facts.similar_to).toBe("lodash");
    expect(facts.registry.install_scripts).toEqual(["install"]);
    expect(facts.registry.age_days).toBe(2);
  });

  it("does not vouch for a git or file dependency, nor for a range nothing matches", async () => {
    const git = await inspect("express", "github:expressjs/express");
    expect(git.registry.checked).toBe(false);
    expect(git.registry.error).toMatch(/git repository/);
    const none = await inspect("express", "^99.0.0");
    expect(none.registry).toMatchObject({ checked: false, exists: true });
    expect(none.registry.error).toMatch(/no version of express .* matches "\^99\.0\.0"/);
  });

  it("keeps the order of the dependencies given, looked up several at once", async () => {
    const names = ["express", "lodash", "react", "chalk", "axios", "ms", "debug"];
    const facts = await inspectDependencies(
      names.map((name) => ({ name, spec: "*", dev: name === "ms" })),
      { registry: twin.url, downloads: twin.url, timeoutMs: 5_000, now: () => now },
    );
    expect(facts.map((f) => f.name)).toEqual(names);
    expect(facts.every((f) => f.registry.checked && f.registry.exists)).toBe(true);
    expect(facts.find((f) => f.name === "ms")?.dev).toBe(true);
  });
});

describe("inspectDependencies when the registry does not answer", () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function against(registry: string, timeoutMs = 5_000) {
    const [facts] = await inspectDependencies([{ name: "express", spec: "^4.0.0", dev: false }], {
      registry,
      downloads: registry,
      timeoutMs,
    });
    return (facts as DependencyFacts).registry;
  }

  it("says so when the port is closed", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const closed = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((resolve) => server.close(resolve));
    const facts = await against(closed);
    expect(facts).toMatchObject({ checked: false, exists: false, advisories: [] });
    expect(facts.error).toBe(
      `could not check express: the registry at ${closed} did not answer: the connection was refused`,
    );
  });

  it("gives up on a registry that hangs past the timeout", async () => {
    const hanging = await listen(() => {
      // Never answers.
    });
    const facts = await against(hanging, 200);
    expect(facts.checked).toBe(false);
    expect(facts.error).toMatch(
      /the registry at http:\/\/127\.0\.0\.1:\d+ did not answer: no answer within 200 ms/,
    );
  });

  it("does not take a 5xx or malformed answer for a clean package", async () => {
    const failing = await listen((_req, res) => {
      res.writeHead(503).end("upstream down");
    });
    expect((await against(failing)).error).toMatch(/answered HTTP 503/);
    const garbled = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end("{not json");
    });
    expect((await against(garbled)).error).toMatch(/not JSON/);
    const wrong = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end('{"versions": 3}');
    });
    const facts = await against(wrong);
    expect(facts.checked).toBe(false);
    expect(facts.error).toMatch(/wrong shape/);
  });

  it("is not checked when the packument answers but the advisory endpoint fails", async () => {
    const half = await listen((req, res) => {
      if (req.method === "POST") return void res.writeHead(500).end();
      res.writeHead(200, { "content-type": "application/json" });
      if (req.url?.startsWith("/downloads/")) return void res.end('{"downloads": 10}');
      res.end(
        JSON.stringify({
          name: "express",
          "dist-tags": { latest: "4.0.0" },
          versions: { "4.0.0": {} },
          time: { created: "2015-01-01T00:00:00Z", "4.0.0": "2015-01-01T00:00:00Z" },
        }),
      );
    });
    const facts = await against(half);
    expect(facts.checked).toBe(false);
    expect(facts.error).toMatch(/advisory endpoint .* answered HTTP 500/);
  });
});

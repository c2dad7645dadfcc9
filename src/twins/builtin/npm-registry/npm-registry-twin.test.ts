import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTwin, type ServedTwin } from "../../index.js";
import { npmRegistryTwin, satisfies } from "./index.js";

// pacote ships no types; the few calls the suite makes, typed here.
interface PacoteOptions {
  registry: string;
  cache: string;
  fullMetadata?: boolean;
  integrity?: string;
}
interface Pacote {
  packument(spec: string, opts: PacoteOptions): Promise<Record<string, unknown>>;
  manifest(spec: string, opts: PacoteOptions): Promise<Record<string, unknown>>;
  tarball(
    spec: string,
    opts: PacoteOptions,
  ): Promise<Buffer & { integrity: string; resolved: string }>;
}
const pacote = createRequire(import.meta.url)("pacote") as Pacote;
const run = promisify(execFile);

interface Downloads {
  downloads: number;
  start: string;
  end: string;
  package: string;
}
interface Advisory {
  id: number;
  url: string;
  title: string;
  severity: string;
  vulnerable_versions: string;
  cwe: string[];
  cvss: { score: number; vectorString: string | null };
}

let scratch = "";
const served: ServedTwin[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "npm-twin-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(served.splice(0).map((s) => s.close()));
});

async function start(seed = "npm-test") {
  const twin = createTwin(npmRegistryTwin, { seed });
  const server = await twin.serve({ port: 0 });
  served.push(server);
  return { twin, url: server.url, server };
}

let caches = 0;
const opts = (registry: string, extra: Partial<PacoteOptions> = {}): PacoteOptions => ({
  registry,
  cache: join(scratch, `cache-${++caches}`),
  ...extra,
});

/** The npm CLI, isolated from the user's config and from the npm_* env vitest runs under. */
async function npm(args: string[], cwd: string): Promise<string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")),
  );
  const userconfig = join(scratch, "npmrc");
  await writeFile(userconfig, "");
  const { stdout } = await run(
    "npm",
    [
      ...args,
      "--userconfig",
      userconfig,
      "--cache",
      join(cwd, ".npm-cache"),
      "--no-update-notifier",
      "--fetch-retries=0",
    ],
    { cwd, env, timeout: 10_000 },
  );
  return stdout;
}

describe("npm registry twin", () => {
  it("serves tarball bytes unchanged, over HTTP and in process", async () => {
    const { url, twin } = await start();
    const lodash = (await (await fetch(`${url}/lodash/4.17.21`)).json()) as {
      dist: { integrity: string };
    };
    for (const res of [
      await fetch(`${url}/lodash/-/lodash-4.17.21.tgz`),
      await twin.fetch(new Request("http://registry.twin/lodash/-/lodash-4.17.21.tgz")),
    ]) {
      const bytes = Buffer.from(await res.arrayBuffer());
      // A runtime that passes bodies through text() re-encodes binary as UTF-8 and breaks this.
      expect(bytes.length).toBe(Number(res.headers.get("content-length")));
      expect(`sha512-${createHash("sha512").update(bytes).digest("base64")}`).toBe(
        lodash.dist.integrity,
      );
    }
  });

  it("serves packuments, manifests and tarballs pacote verifies", async () => {
    const { url } = await start();
    const full = await pacote.packument("express", opts(url, { fullMetadata: true }));
    expect(full.name).toBe("express");
    expect((full["dist-tags"] as Record<string, string>).latest).toBe("5.1.0");
    const versions = full.versions as Record<string, Record<string, unknown>>;
    expect(Object.keys(versions)).toEqual([
      "4.17.1",
      "4.18.2",
      "4.19.2",
      "4.21.2",
      "5.0.0",
      "5.1.0",
    ]);
    expect(Object.keys(full.time as object)).toContain("created");
    const dist = versions["4.21.2"]?.dist as Record<string, string>;
    expect(dist.tarball).toBe(`${url}/express/-/express-4.21.2.tgz`);
    expect(dist.integrity).toMatch(/^sha512-/);

    // Abbreviated metadata: what npm install asks for; install scripts show as hasInstallScript.
    const corgi = await pacote.packument("expresss", opts(url));
    const young = (corgi.versions as Record<string, Record<string, unknown>>)["1.0.1"];
    expect(young?.hasInstallScript).toBe(true);
    expect(young?.scripts).toBeUndefined();
    const fullLookalike = await pacote.packument("expresss", opts(url, { fullMetadata: true }));
    const scripts = (fullLookalike.versions as Record<string, Record<string, unknown>>)["1.0.1"]
      ?.scripts;
    expect(scripts).toEqual({ postinstall: "node index.js" });

    const manifest = await pacote.manifest("express@^4.18.0", opts(url));
    expect(manifest.version).toBe("4.21.2");
    expect(manifest._resolved).toBe(`${url}/express/-/express-4.21.2.tgz`);
    expect(manifest.dependencies).toEqual({ debug: "2.6.9" });

    const scoped = await pacote.manifest("@twin/logger@latest", opts(url));
    expect(scoped.version).toBe("1.1.0");
    expect(scoped._resolved).toBe(`${url}/@twin/logger/-/logger-1.1.0.tgz`);

    const tarball = await pacote.tarball("lodash@4.17.21", opts(url));
    const lodash = await pacote.manifest("lodash@4.17.21", opts(url));
    expect(tarball.integrity).toBe(lodash._integrity);
    expect(`sha512-${createHash("sha512").update(tarball).digest("base64")}`).toBe(
      lodash._integrity,
    );
    const tar = gunzipSync(tarball).toString("latin1");
    expect(tar).toContain("package/package.json");
    expect(tar).toContain('"name": "lodash"');
    expect(tar).toContain("package/index.js");

    // pacote refuses bytes that do not match the integrity it was promised.
    await expect(
      pacote.tarball("lodash@4.17.21", opts(url, { integrity: `sha512-${"A".repeat(86)}==` })),
    ).rejects.toMatchObject({ code: "EINTEGRITY" });
    await expect(pacote.packument("no-such-package-here", opts(url))).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it("works with the npm CLI: view and install", async () => {
    const { url } = await start();
    const dir = await mkdtemp(join(scratch, "project-"));
    const view = JSON.parse(await npm(["view", "left-pad", "--registry", url, "--json"], dir));
    expect(view.name).toBe("left-pad");
    expect(view.version).toBe("1.3.0");
    expect(view.deprecated).toBe("use String.prototype.padStart()");
    const lookalike = JSON.parse(await npm(["view", "lodahs", "--registry", url, "--json"], dir));
    expect(lookalike.scripts).toEqual({ install: "node index.js" });

    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "p", version: "1.0.0" }));
    await npm(
      [
        "install",
        "express@4.21.2",
        "lodash@4.17.20",
        "expresss",
        "--registry",
        url,
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
      ],
      dir,
    );
    const installed = JSON.parse(
      await readFile(join(dir, "node_modules/express/package.json"), "utf8"),
    );
    expect(installed.version).toBe("4.21.2");
    const debug = JSON.parse(await readFile(join(dir, "node_modules/debug/package.json"), "utf8"));
    expect(debug.version).toBe("2.6.9");
    const lock = JSON.parse(await readFile(join(dir, "package-lock.json"), "utf8"));
    expect(lock.packages["node_modules/ms"].resolved).toBe(`${url}/ms/-/ms-2.0.0.tgz`);
    expect(lock.packages["node_modules/express"].integrity).toMatch(/^sha512-/);
    // The look-alike came in, scripts not run, but npm knows it has one.
    expect(lock.packages["node_modules/expresss"]).toMatchObject({
      version: "1.0.1",
      hasInstallScript: true,
    });

    // npm audit posts the tree (gzipped) to the bulk advisory endpoint and exits 1 on findings.
    const audit = await npm(["audit", "--json", "--registry", url], dir).catch(
      (error: { stdout?: string }) => error.stdout ?? "{}",
    );
    const report = JSON.parse(audit) as {
      vulnerabilities: Record<string, { severity: string; via: Array<{ title?: string }> }>;
    };
    expect(Object.keys(report.vulnerabilities)).toEqual(["lodash"]);
    expect(report.vulnerabilities.lodash?.severity).toBe("high");
    expect(report.vulnerabilities.lodash?.via.map((v) => v.title)).toContain(
      "Command Injection in lodash",
    );
  });

  it("counts downloads and answers the bulk advisory endpoint", async () => {
    const { url } = await start();
    const week = await (await fetch(`${url}/downloads/point/last-week/lodash`)).json();
    expect(week).toEqual({
      downloads: 62_000_000,
      start: "2025-12-25",
      end: "2025-12-31",
      package: "lodash",
    });
    const young = (await (
      await fetch(`${url}/downloads/point/last-week/expresss`)
    ).json()) as Downloads;
    expect(young.downloads).toBeLessThan(100);
    const scoped = await (await fetch(`${url}/downloads/point/last-month/@twin/logger`)).json();
    expect(scoped).toMatchObject({ package: "@twin/logger", start: "2025-12-02" });
    const bulk = (await (
      await fetch(`${url}/downloads/point/last-day/react,nope`)
    ).json()) as Record<string, Downloads | null>;
    expect(bulk.nope).toBeNull();
    expect(bulk.react?.package).toBe("react");
    const missing = await fetch(`${url}/downloads/point/last-week/expressss`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "package expressss not found" });

    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/-/npm/v1/security/advisories/bulk`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    const res = await post(
      JSON.stringify({
        "event-stream": ["3.3.6"],
        lodash: ["4.17.15", "4.17.21"],
        express: ["4.21.2"],
        axios: ["0.21.1"],
        react: ["19.1.0"],
      }),
    );
    expect(res.status).toBe(200);
    const advisories = (await res.json()) as Record<string, Advisory[]>;
    expect(Object.keys(advisories).sort()).toEqual(["axios", "event-stream", "lodash"]);
    expect(advisories["event-stream"]?.[0]).toMatchObject({
      title: expect.stringContaining("event-stream"),
      severity: "critical",
      vulnerable_versions: "=3.3.6",
      url: expect.stringMatching(/^https:\/\/github.com\/advisories\/GHSA-/),
      cwe: ["CWE-506"],
      cvss: { score: expect.any(Number) },
    });
    expect(typeof advisories["event-stream"]?.[0]?.id).toBe("number");
    expect(advisories.lodash).toHaveLength(2);
    expect(await (await post(JSON.stringify({ "event-stream": ["3.3.5"] }))).json()).toEqual({});
    // npm sends the audit body gzipped.
    const gzipped = await fetch(`${url}/-/npm/v1/security/advisories/bulk`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: new Uint8Array(gzipSync(JSON.stringify({ "ua-parser-js": ["0.7.29"] }))),
    });
    expect(Object.keys((await gzipped.json()) as object)).toEqual(["ua-parser-js"]);
    expect(satisfies("0.7.29", "=0.7.29 || =0.8.0")).toBe(true);
    expect(satisfies("4.17.21", ">=3.7.0 <4.17.19")).toBe(false);
  });

  it("is deterministic: one seed, the same requests, the same journal", async () => {
    const session = async () => {
      const { twin, url } = await start("same");
      await pacote.packument("react", opts(url, { fullMetadata: true }));
      await pacote.tarball("@twin/logger@1.0.0", opts(url));
      await fetch(`${url}/downloads/point/last-week/react`);
      await fetch(`${url}/-/npm/v1/security/advisories/bulk`, {
        method: "POST",
        body: JSON.stringify({ lodash: ["4.17.20"] }),
      });
      // Tarball URLs carry the address the twin was reached at; the rest must match exactly.
      return JSON.parse(JSON.stringify(twin.journal()).replaceAll(url, "http://registry.twin"));
    };
    const a = await session();
    const b = await session();
    expect(a.length).toBeGreaterThanOrEqual(5);
    expect(b).toEqual(a);
    const x = createTwin(npmRegistryTwin, { seed: "same" }).state();
    const y = createTwin(npmRegistryTwin, { seed: "same" }).state();
    expect(y).toEqual(x);
    expect(createTwin(npmRegistryTwin, { seed: "other" }).state()).not.toEqual(x);
  });

  it("never crashes on bad requests", async () => {
    const { url } = await start();
    const get = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${url}${path}`, init);
      return { status: res.status, text: await res.text() };
    };
    expect(await get("/expresss-nope")).toEqual({ status: 404, text: '{"error":"Not found"}' });
    expect((await get("/%E0%A4%A")).status).toBe(404);
    expect((await get("/lodash/-/lodash-9.9.9.tgz")).status).toBe(404);
    expect((await get("/lodash/-/express-4.17.21.tgz")).status).toBe(404);
    expect((await get("/__proto__")).status).toBe(404);
    expect((await get("/constructor/-/constructor-1.0.0.tgz")).status).toBe(404);
    expect((await get("/lodash/9.9.9")).status).toBe(404);
    expect(JSON.parse((await get("/lodash/latest")).text).version).toBe("4.17.21");
    expect((await get("/a/b/c/d")).status).toBe(404);
    expect((await get("/downloads/point/forever/lodash")).status).toBe(400);
    const bulk = (body: string, headers: Record<string, string> = {}) =>
      get("/-/npm/v1/security/advisories/bulk", { method: "POST", body, headers });
    expect((await bulk("{not json")).status).toBe(400);
    expect((await bulk("[1,2]")).status).toBe(400);
    expect((await bulk("not gzip", { "content-encoding": "gzip" })).status).toBe(400);
    expect((await bulk('{"lodash":"4.17.20","express":[1,null,"x.y"]}')).text).toBe("{}");
    expect((await bulk("x".repeat(2 * 1024 * 1024))).status).toBe(413);
    expect((await get("/-/ping")).status).toBe(200);
    expect((await get("/react")).status).toBe(200);
  });
});

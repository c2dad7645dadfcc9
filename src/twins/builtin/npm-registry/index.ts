/**
 * The npm registry twin: packuments (full, and abbreviated for
 * `Accept: application/vnd.npm.install-v1+json`), real gzipped tarballs with their integrity,
 * download counts and the bulk security-advisory endpoint, at the registry's own paths.
 *
 * Tarball URLs point back at the address the request came to (`Host`), or at
 * `options.publicUrl` when set (a twin behind a proxy). Read-only: no publish, login or dist-tag
 * changes; tests change the registry through `twin.state()`.
 */
import { gunzipSync } from "node:zlib";
import type { Context, Hono } from "hono";
import type { RateLimitState, TwinContext, TwinDefinition } from "../../runtime/contract.js";
import { initialNpmState } from "./fixtures.js";
import {
  DAY,
  type NpmAdvisory,
  type NpmPackage,
  type NpmRegistryState,
  type NpmVersion,
} from "./state.js";
import { buildTarball } from "./tarball.js";
import { satisfies } from "./versions.js";

export type { NpmAdvisory, NpmPackage, NpmRegistryState, NpmVersion } from "./state.js";
export { satisfies } from "./versions.js";

const CORGI = "application/vnd.npm.install-v1+json";
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"];
const NOT_FOUND = { error: "Not found" };

// ---------------------------------------------------------------- documents

function basename(name: string): string {
  return name.startsWith("@") ? (name.split("/")[1] ?? name) : name;
}

function files(pkg: NpmPackage, v: NpmVersion): Record<string, string> {
  const manifest = {
    name: pkg.name,
    version: v.version,
    description: v.description,
    main: "index.js",
    license: v.license,
    ...(Object.keys(v.scripts).length ? { scripts: v.scripts } : {}),
    ...(Object.keys(v.dependencies).length ? { dependencies: v.dependencies } : {}),
  };
  return { "package.json": `${JSON.stringify(manifest, null, 2)}\n`, "index.js": v.index };
}

function dist(base: string, pkg: NpmPackage, v: NpmVersion) {
  const built = buildTarball(files(pkg, v));
  return {
    integrity: built.integrity,
    shasum: built.shasum,
    tarball: `${base}/${pkg.name}/-/${basename(pkg.name)}-${v.version}.tgz`,
    fileCount: built.fileCount,
    unpackedSize: built.unpackedSize,
  };
}

function hasInstallScript(v: NpmVersion): boolean {
  return INSTALL_SCRIPTS.some((s) => s in v.scripts);
}

const iso = (ms: number) => new Date(ms).toISOString();

function modifiedOf(pkg: NpmPackage): number {
  return Math.max(...pkg.versions.map((v) => v.publishedAt));
}

function fullManifest(base: string, pkg: NpmPackage, v: NpmVersion) {
  const maintainer = pkg.maintainers[0];
  return {
    name: pkg.name,
    version: v.version,
    description: v.description,
    main: "index.js",
    license: v.license,
    ...(Object.keys(v.scripts).length ? { scripts: v.scripts } : {}),
    ...(Object.keys(v.dependencies).length ? { dependencies: v.dependencies } : {}),
    ...(pkg.keywords.length ? { keywords: pkg.keywords } : {}),
    ...(v.deprecated ? { deprecated: v.deprecated } : {}),
    _id: `${pkg.name}@${v.version}`,
    _nodeVersion: "20.11.0",
    _npmVersion: "10.2.4",
    _npmUser: maintainer,
    _hasShrinkwrap: false,
    maintainers: pkg.maintainers,
    dist: dist(base, pkg, v),
  };
}

function fullPackument(base: string, pkg: NpmPackage) {
  const created = Math.min(...pkg.versions.map((v) => v.publishedAt));
  return {
    _id: pkg.name,
    _rev: pkg.rev,
    name: pkg.name,
    description: pkg.description,
    "dist-tags": pkg.distTags,
    versions: Object.fromEntries(pkg.versions.map((v) => [v.version, fullManifest(base, pkg, v)])),
    time: {
      created: iso(created),
      modified: iso(modifiedOf(pkg)),
      ...Object.fromEntries(pkg.versions.map((v) => [v.version, iso(v.publishedAt)])),
    },
    maintainers: pkg.maintainers,
    license: pkg.versions.at(-1)?.license ?? "MIT",
    keywords: pkg.keywords,
    readme: `# ${pkg.name}\n\n${pkg.description}\n`,
    readmeFilename: "README.md",
  };
}

function corgiPackument(base: string, pkg: NpmPackage) {
  return {
    name: pkg.name,
    modified: iso(modifiedOf(pkg)),
    "dist-tags": pkg.distTags,
    versions: Object.fromEntries(
      pkg.versions.map((v) => [
        v.version,
        {
          name: pkg.name,
          version: v.version,
          ...(Object.keys(v.dependencies).length ? { dependencies: v.dependencies } : {}),
          ...(hasInstallScript(v) ? { hasInstallScript: true } : {}),
          ...(v.deprecated ? { deprecated: v.deprecated } : {}),
          _hasShrinkwrap: false,
          dist: dist(base, pkg, v),
        },
      ]),
    ),
  };
}

// ---------------------------------------------------------------- routes

function baseUrl(c: Context, twin: TwinContext<NpmRegistryState>): string {
  const configured = twin.options.publicUrl;
  if (typeof configured === "string" && configured !== "") return configured.replace(/\/+$/, "");
  return new URL(c.req.url).origin;
}

/** `/@scope%2fname`, `/@scope/name` or `/name` (percent-decoded), or undefined. */
function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function lookup(state: NpmRegistryState, name: string | undefined): NpmPackage | undefined {
  if (!name || !Object.hasOwn(state.packages, name)) return undefined;
  return state.packages[name];
}

function day(ms: number): string {
  return iso(ms).slice(0, 10);
}

const PERIODS: Record<string, number> = { "last-day": 1, "last-week": 7, "last-month": 30 };

function downloads(c: Context, twin: TwinContext<NpmRegistryState>, period: string, spec: string) {
  const days = PERIODS[period];
  if (days === undefined) return c.json({ error: `invalid period: ${period}` }, 400);
  const end = twin.clock.now() - DAY;
  const window = { start: day(end - (days - 1) * DAY), end: day(end) };
  const count = (pkg: NpmPackage) => Math.round((pkg.weeklyDownloads * days) / 7);
  const names = spec.startsWith("@") ? [spec] : spec.split(",").filter((n) => n !== "");
  if (names.length > 1) {
    return c.json(
      Object.fromEntries(
        names.map((name) => {
          const pkg = lookup(twin.state, name);
          return [name, pkg ? { downloads: count(pkg), ...window, package: name } : null];
        }),
      ),
    );
  }
  const pkg = lookup(twin.state, names[0]);
  if (!pkg) return c.json({ error: `package ${names[0] ?? ""} not found` }, 404);
  return c.json({ downloads: count(pkg), ...window, package: pkg.name });
}

async function bulkAdvisories(c: Context, twin: TwinContext<NpmRegistryState>) {
  let payload: unknown;
  try {
    let bytes = Buffer.from(await c.req.arrayBuffer());
    if ((c.req.header("content-encoding") ?? "").toLowerCase().includes("gzip"))
      bytes = gunzipSync(bytes);
    payload = JSON.parse(bytes.toString("utf8"));
  } catch {
    return c.json({ error: "Invalid JSON body" }, 400);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload))
    return c.json({ error: "Request body must be an object of package names to versions" }, 400);
  const out: Record<string, Array<Omit<NpmAdvisory, "package">>> = {};
  for (const [name, versions] of Object.entries(payload)) {
    if (!Array.isArray(versions)) continue;
    const wanted = versions.filter((v): v is string => typeof v === "string");
    const hits = twin.state.advisories.filter(
      (a) => a.package === name && wanted.some((v) => satisfies(v, a.vulnerable_versions)),
    );
    if (hits.length > 0) out[name] = hits.map(({ package: _, ...advisory }) => advisory);
  }
  return c.json(out);
}

function routes(app: Hono, twin: TwinContext<NpmRegistryState>): void {
  app.get("/-/ping", (c) => c.json({}));
  app.post("/-/npm/v1/security/advisories/bulk", (c) => bulkAdvisories(c, twin));

  app.get("*", (c) => {
    const path = new URL(c.req.url).pathname;
    const state = twin.state;

    const dl = /^\/downloads\/point\/([^/]+)\/(.+)$/.exec(path);
    if (dl) return downloads(c, twin, dl[1] as string, decodeSegment(dl[2] as string) ?? "");

    // Tarballs: /name/-/name-1.0.0.tgz and /@scope/name/-/name-1.0.0.tgz
    const tgz = /^\/((?:@[^/]+(?:\/|%2[fF]))?[^/]+)\/-\/([^/]+)\.tgz$/.exec(path);
    if (tgz) {
      const pkg = lookup(state, decodeSegment(tgz[1] as string));
      const file = decodeSegment(tgz[2] as string) ?? "";
      const prefix = pkg ? `${basename(pkg.name)}-` : "";
      const v =
        pkg && file.startsWith(prefix)
          ? pkg.versions.find((x) => x.version === file.slice(prefix.length))
          : undefined;
      if (!pkg || !v) return c.json(NOT_FOUND, 404);
      const built = buildTarball(files(pkg, v));
      return c.body(new Uint8Array(built.bytes), 200, {
        "content-type": "application/octet-stream",
        "content-length": String(built.bytes.length),
      });
    }

    // Packuments: /name, /@scope%2fname, /@scope/name; and one version: /name/<version|tag>
    const doc = /^\/(@[^/]+(?:\/|%2[fF])[^/]+|[^/@][^/]*)(?:\/([^/]+))?$/.exec(path);
    if (doc) {
      const name = decodeSegment(doc[1] as string);
      const pkg = lookup(state, name);
      if (!pkg) return c.json(NOT_FOUND, 404);
      const base = baseUrl(c, twin);
      const wanted = doc[2] === undefined ? undefined : decodeSegment(doc[2]);
      if (wanted !== undefined) {
        const version = pkg.distTags[wanted] ?? wanted;
        const v = pkg.versions.find((x) => x.version === version);
        if (!v) return c.json({ error: `version not found: ${wanted}` }, 404);
        return c.json(fullManifest(base, pkg, v));
      }
      if ((c.req.header("accept") ?? "").includes(CORGI)) {
        return c.body(JSON.stringify(corgiPackument(base, pkg)), 200, {
          "content-type": CORGI,
        });
      }
      return c.json(fullPackument(base, pkg));
    }
    return c.json(NOT_FOUND, 404);
  });
}

export const npmRegistryTwin: TwinDefinition<NpmRegistryState> = {
  name: "npm-registry",
  description:
    "The npm registry: packuments (full and abbreviated), real tarballs with integrity, download counts and bulk security advisories, over a seeded fixture with look-alike and known-bad packages.",
  initialState: initialNpmState,
  routes,
  errors: {
    error: (status, message) => ({ body: status === 404 ? NOT_FOUND : { error: message } }),
    rateLimitHeaders: (bucket: RateLimitState, always: boolean): Record<string, string> =>
      always ? {} : { "Retry-After": String(Math.max(1, bucket.retryAfter)) },
  },
  // npm's per-invocation random id: kept, but constant, so journals repeat run to run.
  journalHeader: (name, value) => (name === "npm-session" ? "<npm-session>" : value),
};

/**
 * The three registry calls the dependency facts need, each bounded in time and each answer
 * checked against the shape npm documents, so a registry that is down, slow or answering
 * nonsense is a `RegistryUnanswered`, never a package taken for clean.
 */
import { z } from "zod";

/** The registry (or the downloads API) did not give a usable answer; the message says how. */
export class RegistryUnanswered extends Error {}

export const packumentSchema = z.object({
  name: z.string(),
  "dist-tags": z.record(z.string(), z.string()).default({}),
  versions: z
    .record(z.string(), z.object({ scripts: z.record(z.string(), z.unknown()).optional() }).loose())
    .default({}),
  time: z.record(z.string(), z.string()).default({}),
});
export type Packument = z.infer<typeof packumentSchema>;

const downloadsSchema = z.object({ downloads: z.number().int().nonnegative() });

export const advisoriesSchema = z.record(
  z.string(),
  z.array(
    z.object({
      id: z.union([z.number(), z.string()]),
      severity: z.enum(["low", "moderate", "high", "critical"]),
      title: z.string(),
      url: z.string(),
    }),
  ),
);
export type BulkAdvisories = z.infer<typeof advisoriesSchema>;

export interface RegistryClientOptions {
  registry: string;
  downloads: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** `@scope/name` as npm puts it in a registry URL: the slash escaped, the `@` kept. */
export function escapeName(name: string): string {
  return name.startsWith("@") ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

const trim = (url: string) => url.replace(/\/+$/, "");

/** The URL as messages show it: a token in its user-info part stays out of them. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return trim(parsed.toString());
  } catch {
    return url;
  }
}

export function createRegistryClient(options: RegistryClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const registry = trim(options.registry);
  const downloads = trim(options.downloads);

  /** The parsed JSON body, or undefined for a 404; throws RegistryUnanswered otherwise. */
  async function call<T>(
    what: string,
    url: string,
    schema: z.ZodType<T>,
    init: RequestInit = {},
  ): Promise<T | undefined> {
    const signal = AbortSignal.timeout(options.timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await doFetch(url, {
        ...init,
        signal,
        headers: { accept: "application/json", ...(init.headers ?? {}) },
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new RegistryUnanswered(`${what} did not answer: ${failure(error, options.timeoutMs)}`);
    }
    if (status === 404) return undefined;
    if (status < 200 || status >= 300)
      throw new RegistryUnanswered(`${what} answered HTTP ${status}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new RegistryUnanswered(`${what} answered with something that is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
      throw new RegistryUnanswered(
        `${what} answered JSON of the wrong shape${where}: ${issue?.message ?? "invalid"}`,
      );
    }
    return parsed.data;
  }

  return {
    /** The full packument, or undefined when the registry says the name does not exist. */
    packument(name: string): Promise<Packument | undefined> {
      return call(
        `the registry at ${shown(registry)}`,
        `${registry}/${escapeName(name)}`,
        packumentSchema,
      );
    },
    /** Downloads in the last week; 0 when the API knows no such package. */
    async weeklyDownloads(name: string): Promise<number> {
      const answer = await call(
        `the downloads API at ${shown(downloads)}`,
        // The downloads API takes a scoped name with its slash as is.
        `${downloads}/downloads/point/last-week/${name
          .split("/")
          .map((part) => encodeURIComponent(part).replace(/^%40/, "@"))
          .join("/")}`,
        downloadsSchema,
      );
      return answer?.downloads ?? 0;
    },
    /** Advisories that affect `version` of `name`. */
    async advisories(name: string, version: string): Promise<BulkAdvisories[string]> {
      const answer = await call(
        `the advisory endpoint of ${shown(registry)}`,
        `${registry}/-/npm/v1/security/advisories/bulk`,
        advisoriesSchema,
        {
          method: "POST",
          body: JSON.stringify({ [name]: [version] }),
          headers: { "content-type": "application/json" },
        },
      );
      if (answer === undefined)
        throw new RegistryUnanswered(
          `the registry at ${shown(registry)} has no advisory endpoint (HTTP 404)`,
        );
      return answer[name] ?? [];
    },
  };
}

export type RegistryClient = ReturnType<typeof createRegistryClient>;

function failure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  if (cause?.code === "ECONNREFUSED") return "the connection was refused";
  if (cause?.code === "ENOTFOUND") return "its host name does not resolve";
  if (cause?.code) return `${cause.code}`;
  return error instanceof Error ? error.message : String(error);
}

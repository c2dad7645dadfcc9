/**
 * GitHub's ways with HTTP: its error bodies, its JSON validation messages, and pagination by
 * `page`/`per_page` with a `Link` header.
 */
import type { Context } from "hono";
import type { RateLimitState, VendorErrors } from "../../index.js";

export const DOCS = "https://docs.github.com/rest";

/** Thrown by a route; answered in GitHub's shape by the route wrapper. */
export class GithubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentation: string = DOCS,
    readonly errors?: Record<string, unknown>[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      documentation_url: this.documentation,
      ...(this.errors ? { errors: this.errors } : {}),
      status: String(this.status),
    };
  }
}

export const notFound = () => new GithubError(404, "Not Found");

/** A JSON answer in GitHub's content type; a 204 has no body. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** A JSON answer with the `Link` header of a page, when there is one. */
export const withLink = (status: number, body: unknown, link: string | undefined) =>
  json(status, body, link ? { link } : {});

/** A numeric path parameter (an issue or pull number); anything else is GitHub's 404. */
export function numberParam(c: Context, name: string): number {
  const raw = c.req.param(name) ?? "";
  if (!/^\d{1,9}$/.test(raw)) throw notFound();
  return Number(raw);
}

export const validationFailed = (errors: Record<string, unknown>[], documentation = DOCS) =>
  new GithubError(422, "Validation Failed", documentation, errors);

const MESSAGES: Record<number, string> = {
  400: "Bad Request",
  401: "Requires authentication",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Validation Failed",
  500: "Server Error",
  502: "Server Error",
  503: "Service Unavailable",
  504: "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.",
};

export const RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

/** Real epoch seconds `inSeconds` from now: clients sleep until x-ratelimit-reset in real time. */
export const realResetAt = (inSeconds: number) =>
  Math.floor(Date.now() / 1000) + Math.max(0, Math.ceil(inSeconds));

export function rateLimitHeaders(
  limit: number,
  remaining: number,
  resetInSeconds: number,
): Record<string, string> {
  return {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(Math.max(0, remaining)),
    "x-ratelimit-used": String(Math.max(0, limit - remaining)),
    "x-ratelimit-reset": String(realResetAt(resetInSeconds)),
    "x-ratelimit-resource": "core",
  };
}

export const errors: VendorErrors = {
  error(status, message) {
    // The runtime words its own errors ("Unrecognized request URL..."); GitHub says Not Found.
    const text =
      status === 404
        ? "Not Found"
        : status === 429
          ? "API rate limit exceeded. Check out the documentation for more information."
          : status === 500 || status === 503 || status === 502
            ? (MESSAGES[status] as string)
            : message || MESSAGES[status] || "Error";
    return {
      body: {
        message: text,
        documentation_url: status === 429 ? RATE_LIMIT_DOCS : DOCS,
        status: String(status),
      },
      headers: { "content-type": "application/json; charset=utf-8" },
    };
  },
  rateLimitHeaders(bucket: RateLimitState, always: boolean) {
    // The runtime's bucket refills in real time; its resetAt is on the virtual clock, so only
    // the seconds-from-now are meaningful (see the report: a `resetAfter` would be exact).
    const after =
      (bucket as RateLimitState & { resetAfter?: number }).resetAfter ?? bucket.retryAfter;
    const headers = rateLimitHeaders(bucket.limit, bucket.remaining, after);
    if (!always) headers["retry-after"] = String(Math.max(1, bucket.retryAfter));
    return headers;
  },
};

/** The JSON body of a request: `{}` when empty, GitHub's 400 when it does not parse. */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GithubError(400, "Problems parsing JSON", DOCS);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new GithubError(
      422,
      `Invalid request.\n\nFor 'links/0/schema', ${JSON.stringify(value)} is not an object.`,
    );
  return value as Record<string, unknown>;
}

type Kind = "string" | "boolean" | "integer" | "object" | "array" | "string|null";

/** GitHub's schema check of a body: "Invalid request. For 'properties/x', 1 is not a string." */
export function check(
  body: Record<string, unknown>,
  fields: Record<string, Kind>,
  required: string[] = [],
): void {
  const missing = required.filter((name) => body[name] === undefined);
  if (missing.length > 0) {
    const list = missing.map((name) => `"${name}"`).join(", ");
    throw new GithubError(
      422,
      `Invalid request.\n\n${list} ${missing.length === 1 ? "wasn't" : "weren't"} supplied.`,
    );
  }
  for (const [name, kind] of Object.entries(fields)) {
    const value = body[name];
    if (value === undefined) continue;
    const ok =
      kind === "string|null"
        ? value === null || typeof value === "string"
        : kind === "integer"
          ? Number.isInteger(value)
          : kind === "array"
            ? Array.isArray(value)
            : kind === "object"
              ? value !== null && typeof value === "object" && !Array.isArray(value)
              : typeof value === kind;
    if (!ok)
      throw new GithubError(
        422,
        `Invalid request.\n\nFor 'properties/${name}', ${JSON.stringify(value)} is not ${
          kind === "integer" || kind === "object" || kind === "array" ? "an" : "a"
        } ${kind === "string|null" ? "string" : kind}.`,
      );
  }
}

/** One page of `items` per `page`/`per_page`, with GitHub's `Link` header. */
export function paginate<T>(c: Context, items: T[]): { page: T[]; link: string | undefined } {
  const url = new URL(c.req.url);
  const perPage = clampInt(url.searchParams.get("per_page"), 30, 1, 100);
  const page = clampInt(url.searchParams.get("page"), 1, 1, Number.MAX_SAFE_INTEGER);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const at = (n: number) => {
    const next = new URL(url);
    next.searchParams.set("per_page", String(perPage));
    next.searchParams.set("page", String(n));
    return `<${next.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    link: links.length > 0 ? links.join(", ") : undefined,
  };
}

function clampInt(raw: string | null, fallback: number, min: number, max: number): number {
  const value = raw === null ? Number.NaN : Number.parseInt(raw, 10);
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

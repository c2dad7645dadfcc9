/**
 * The route table: an OpenAPI path template as a Hono path (mixed segments matched in the
 * handler), the server's path prefix, and the order that lets literal segments win.
 */
import type { Context } from "hono";
import type { OpenApiDocument } from "./operation.js";

/** `servers[0].url`'s path, with its variables' defaults: `/v1` of `https://api.example.com/v1`. */
export function serverPrefix(doc: OpenApiDocument): string {
  const server = doc.servers?.[0];
  if (!server?.url) return "";
  const url = server.url.replace(
    /\{([^}]+)\}/g,
    (_, name: string) => server.variables?.[name]?.default ?? "",
  );
  try {
    return new URL(url, "http://twin.invalid").pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
}

/** A segment that mixes text and parameters (`{owner}.{repo}`, `{name}:cancel`), matched in the handler. */
export interface MixedSegment {
  key: string;
  pattern: RegExp;
  names: string[];
}

export function honoPath(template: string): { path: string; mixed: MixedSegment[] } {
  const mixed: MixedSegment[] = [];
  const segments = template.split("/").map((segment, index) => {
    const whole = /^\{([^{}]+)\}$/.exec(segment);
    if (whole) return `:${whole[1]}`;
    if (!segment.includes("{")) return segment;
    const names: string[] = [];
    const source = segment
      .split(/(\{[^{}]+\})/)
      .map((part) => {
        const name = /^\{(.+)\}$/.exec(part)?.[1];
        if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(name);
        return "([^/]+?)";
      })
      .join("");
    const key = `__segment${index}`;
    mixed.push({ key, pattern: new RegExp(`^${source}$`), names });
    return `:${key}`;
  });
  return { path: segments.join("/"), mixed };
}

export function pathParams(c: Context, mixed: MixedSegment[]): Record<string, string> | undefined {
  const params: Record<string, string> = { ...c.req.param() };
  for (const segment of mixed) {
    const value = params[segment.key] ?? "";
    delete params[segment.key];
    const match = segment.pattern.exec(value);
    if (!match) return undefined;
    segment.names.forEach((name, i) => {
      params[name] = match[i + 1] ?? "";
    });
  }
  return params;
}

/** Literal segments before parameters, so `/users/me` wins over `/users/{id}` (a total order). */
export function bySpecificity(a: string, b: string): number {
  const as = a.split("/");
  const bs = b.split("/");
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const ap = (as[i] ?? "").includes("{");
    const bp = (bs[i] ?? "").includes("{");
    if (ap !== bp) return ap ? 1 : -1;
  }
  return as.length - bs.length;
}

/**
 * Checks a twin's answer against GitHub's OpenAPI description (`@octokit/openapi`) with the
 * OpenAPI twins' validator (`src/twins/openapi`): type, nullable, enum, required, properties,
 * items, allOf/oneOf/anyOf and `$ref`s into components. For tests.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Resolver, type SchemaObject, validate } from "../../openapi/index.js";

interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: {
    schemas: Record<string, SchemaObject>;
    responses: Record<string, { content?: Record<string, { schema: SchemaObject }> }>;
  };
}

/** A resolver that fails loudly on a `$ref` the description does not have. */
class StrictResolver extends Resolver {
  override pointer(ref: string): unknown {
    const found = super.pointer(ref);
    if (found === undefined) throw new Error(`unresolved $ref ${ref}`);
    return found;
  }
}

let cached: { spec: Spec; resolver: Resolver } | undefined;

function loaded(): { spec: Spec; resolver: Resolver } {
  if (!cached) {
    const require = createRequire(import.meta.url);
    const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
    const spec = JSON.parse(readFileSync(file, "utf8")) as Spec;
    cached = { spec, resolver: new StrictResolver(spec) };
  }
  return cached;
}

export function githubSpec(): Spec {
  return loaded().spec;
}

/** The JSON schema GitHub documents for `METHOD path` answering `status`. */
export function responseSchema(method: string, path: string, status: number): SchemaObject {
  const { spec, resolver } = loaded();
  const operation = spec.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`no operation ${method} ${path} in the OpenAPI description`);
  const response = resolver.deref(operation.responses[String(status)]) as
    | { content?: Record<string, { schema: SchemaObject }> }
    | undefined;
  const schema = response?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`no JSON schema for ${method} ${path} ${status}`);
  return schema;
}

/** Validates a twin's answer for a documented route; returns the problems as "$.path: what". */
export function checkResponse(
  method: string,
  path: string,
  status: number,
  value: unknown,
): string[] {
  const { resolver } = loaded();
  return validate(resolver, responseSchema(method, path, status), value, "$", "response").map(
    ({ field, message }) => `${field}: ${message === "required" ? "required, missing" : message}`,
  );
}

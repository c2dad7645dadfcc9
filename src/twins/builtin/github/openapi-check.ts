/**
 * A minimal JSON-schema checker for GitHub's OpenAPI description (`@octokit/openapi`): type,
 * nullable, enum, required, properties, items, allOf/oneOf/anyOf and `$ref`s into components.
 * Enough to say that a twin's answer has every required field, with the right type. For tests.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

type Schema = {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};

interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: {
    schemas: Record<string, Schema>;
    responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  };
}

let cached: Spec | undefined;

export function githubSpec(): Spec {
  if (!cached) {
    const require = createRequire(import.meta.url);
    const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
    cached = JSON.parse(readFileSync(file, "utf8")) as Spec;
  }
  return cached;
}

function deref(spec: Spec, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 20; hops++) {
    const name = current.$ref.replace("#/components/schemas/", "");
    const next = spec.components.schemas[name];
    if (!next) throw new Error(`unresolved $ref ${current.$ref}`);
    current = next;
  }
  return current;
}

function allowsNull(spec: Spec, raw: Schema): boolean {
  const schema = deref(spec, raw);
  if (schema.nullable === true) return true;
  if (schema.type === "null" || (Array.isArray(schema.type) && schema.type.includes("null")))
    return true;
  if (schema.enum?.includes(null)) return true;
  const branches = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  if (branches.some((branch) => allowsNull(spec, branch))) return true;
  return (schema.allOf ?? []).length > 0 && (schema.allOf ?? []).every((b) => allowsNull(spec, b));
}

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    default:
      return true;
  }
}

/** The problems of `value` against `schema`, as "$.path: what" lines; empty when it conforms. */
export function validate(spec: Spec, raw: Schema, value: unknown, at = "$"): string[] {
  const schema = deref(spec, raw);
  if (value === null) return allowsNull(spec, schema) ? [] : [`${at}: null is not allowed`];
  const problems: string[] = [];
  for (const branch of schema.allOf ?? []) problems.push(...validate(spec, branch, value, at));
  const alternatives = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  if (alternatives.length > 0) {
    const results = alternatives.map((branch) => validate(spec, branch, value, at));
    if (!results.some((result) => result.length === 0))
      problems.push(
        `${at}: matches none of ${alternatives.length} alternatives (${results
          .map((result) => result[0])
          .join(" | ")})`,
      );
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => typeOk(type, value))) {
      problems.push(`${at}: ${JSON.stringify(value)?.slice(0, 60)} is not ${types.join("|")}`);
      return problems;
    }
  }
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === "object" && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? [])
      if (object[name] === undefined) problems.push(`${at}.${name}: required, missing`);
    for (const [name, property] of Object.entries(schema.properties ?? {}))
      if (object[name] !== undefined)
        problems.push(...validate(spec, property, object[name], `${at}.${name}`));
  }
  if (Array.isArray(value) && schema.items)
    for (const [index, item] of value.entries())
      problems.push(...validate(spec, schema.items, item, `${at}[${index}]`));
  return problems;
}

/** The JSON schema GitHub documents for `METHOD path` answering `status`. */
export function responseSchema(method: string, path: string, status: number): Schema {
  const spec = githubSpec();
  const operation = spec.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`no operation ${method} ${path} in the OpenAPI description`);
  let response = operation.responses[String(status)] as
    | { $ref?: string; content?: Record<string, { schema: Schema }> }
    | undefined;
  if (response?.$ref)
    response = spec.components.responses[response.$ref.replace("#/components/responses/", "")];
  const schema = response?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`no JSON schema for ${method} ${path} ${status}`);
  return schema;
}

/** Validates a twin's answer for a documented route; returns the problems. */
export function checkResponse(
  method: string,
  path: string,
  status: number,
  value: unknown,
): string[] {
  return validate(githubSpec(), responseSchema(method, path, status), value);
}

/**
 * An operation of the description, prepared on its first call: its path and query parameters,
 * its request body, the answer it gives (an example repaired against its schema, or a schema to
 * generate from) and, with `crud`, its role in the store.
 */
import { createClock } from "../runtime/clock.js";
import { createSeededRandom } from "../runtime/seeded-random.js";
import { generate } from "./generate.js";
import type { Resolver, SchemaObject } from "./schema.js";
import { validate } from "./validate.js";

export interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  schema?: SchemaObject;
}

export interface MediaObject {
  schema?: SchemaObject;
  example?: unknown;
  examples?: Record<string, { value?: unknown; $ref?: string }>;
}

export interface ResponseObject {
  content?: Record<string, MediaObject>;
}

export interface OperationObject {
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content?: Record<string, MediaObject>; $ref?: string };
  responses?: Record<string, ResponseObject>;
}

export type PathItem = Record<string, unknown> & { parameters?: ParameterObject[] };

export interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; description?: string };
  servers?: { url?: string; variables?: Record<string, { default?: string }> }[];
  paths?: Record<string, PathItem>;
}

export const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** What an operation needs at request time, worked out on its first call. */
export interface Prepared {
  pathParams: ParameterObject[];
  queryParams: ParameterObject[];
  body?: { required: boolean; schema: SchemaObject | undefined; json: boolean };
  answer: {
    status: number;
    /** No content declared, or a status that has none. */
    empty: boolean;
    schema?: SchemaObject;
    example?: { value: unknown };
  };
  crud?: CrudRole;
}

export type CrudRole =
  | { kind: "create" | "list"; idField: string; idSchema?: SchemaObject }
  | { kind: "read" | "replace" | "update" | "remove"; idField: string };

export function prepare(
  resolver: Resolver,
  template: string,
  method: string,
  item: PathItem,
  crud: boolean,
): Prepared {
  const operation = resolver.deref(item[method]) as OperationObject;
  const byKey = new Map<string, ParameterObject>();
  for (const raw of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
    const parameter = resolver.deref(raw);
    if (parameter?.name && parameter.in) byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  const parameters = [...byKey.values()];
  const prepared: Prepared = {
    pathParams: parameters.filter((p) => p.in === "path"),
    queryParams: parameters.filter((p) => p.in === "query"),
    answer: chooseAnswer(resolver, operation, `${method} ${template}`),
  };
  const requestBody = resolver.deref(operation.requestBody);
  if (requestBody?.content) {
    const type = jsonType(requestBody.content);
    const media = type ? resolver.deref(requestBody.content[type]) : undefined;
    prepared.body = {
      required: requestBody.required === true,
      schema: media?.schema,
      json: type !== undefined,
    };
  }
  if (crud) {
    const role = crudRole(resolver, template, method, prepared);
    if (role) prepared.crud = role;
  }
  return prepared;
}

/**
 * An example that contradicts its own schema (GitHub's full-repository example lacks the
 * required `language`) gets the missing fields from a generated value, the same every time:
 * from a random source of its own, so answering an example never moves the twin's.
 */
function repaired(
  resolver: Resolver,
  schema: SchemaObject,
  example: unknown,
  seed: string,
): unknown {
  if (validate(resolver, schema, example, "$", "response").length === 0) return example;
  const generated = generate(resolver, schema, {
    random: createSeededRandom(seed),
    clock: createClock(),
  });
  const merged = mergeUnder(generated, example);
  return validate(resolver, schema, merged, "$", "response").length === 0 ? merged : generated;
}

/** `over` with what only `under` has, object by object. */
function mergeUnder(under: unknown, over: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(under) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...under };
  for (const [key, value] of Object.entries(over)) out[key] = mergeUnder(under[key], value);
  return out;
}

function chooseAnswer(
  resolver: Resolver,
  operation: OperationObject,
  seed: string,
): Prepared["answer"] {
  const responses = operation.responses ?? {};
  const codes = Object.keys(responses);
  const code =
    codes.find((c) => /^2\d\d$/.test(c)) ??
    codes.find((c) => /^2XX$/i.test(c)) ??
    codes.find((c) => c === "default");
  const status = code && /^\d+$/.test(code) ? Number(code) : 200;
  const response = code ? resolver.deref(responses[code]) : undefined;
  const type = response?.content ? jsonType(response.content) : undefined;
  const media = type && response?.content ? resolver.deref(response.content[type]) : undefined;
  if (!media || [204, 205, 304].includes(status)) return { status, empty: true };
  const answer: Prepared["answer"] = { status, empty: false };
  if (media.schema) answer.schema = media.schema;
  if (media.example !== undefined) answer.example = { value: media.example };
  else if (media.examples) {
    const first = Object.values(media.examples)[0];
    const example = first ? resolver.deref(first) : undefined;
    if (example && "value" in example) answer.example = { value: example.value };
  }
  if (!answer.schema && !answer.example) answer.example = { value: {} };
  if (answer.example && answer.schema)
    answer.example = { value: repaired(resolver, answer.schema, answer.example.value, seed) };
  return answer;
}

function crudRole(
  resolver: Resolver,
  template: string,
  method: string,
  op: Prepared,
): CrudRole | undefined {
  const item = /\/\{([^}/]+)\}\/?$/.exec(template);
  if (item) {
    // Only a resource that can be created (its collection has a POST) is answered from the store.
    const paths = (resolver.document as OpenApiDocument).paths ?? {};
    const parent = resolver.deref(paths[template.slice(0, item.index)]);
    if (!parent?.post) return undefined;
    const param = item[1] as string;
    const properties = mergedProperties(resolver, op.answer.schema ?? op.body?.schema);
    const idField = "id" in properties || !(param in properties) ? "id" : param;
    const kind = ({ get: "read", put: "replace", patch: "update", delete: "remove" } as const)[
      method as "get"
    ];
    return kind ? { kind, idField } : undefined;
  }
  if (method !== "get" && method !== "post") return undefined;
  // A collection is a path with an item path below it (`/things` and `/things/{id}`).
  const below = `${template.replace(/\/+$/, "")}/{`;
  const paths = Object.keys((resolver.document as OpenApiDocument).paths ?? {});
  if (!paths.some((p) => p.startsWith(below) && /^\{[^}/]+\}\/?$/.test(p.slice(below.length - 1))))
    return undefined;
  let schema = resolver.deref(op.answer.schema);
  if (method === "get" && schema) {
    // The item schema of a list: the array's items, or those of the wrapper's array property.
    if (schema.items) schema = resolver.deref(schema.items);
    else {
      const arrays = Object.values(mergedProperties(resolver, schema)).filter(
        (p) => resolver.deref(p)?.items,
      );
      if (arrays.length !== 1) return undefined;
      schema = resolver.deref(resolver.deref(arrays[0])?.items);
    }
  }
  if (method === "post" && op.answer.schema && !op.answer.empty) {
    const answer = resolver.deref(op.answer.schema);
    if (
      answer?.items ||
      (Array.isArray(answer?.type) ? answer.type : [answer?.type]).includes("array")
    )
      return undefined;
  }
  const properties = mergedProperties(resolver, schema ?? op.body?.schema);
  const idSchema = properties.id;
  return {
    kind: method === "post" ? "create" : "list",
    idField: "id",
    ...(idSchema ? { idSchema } : {}),
  };
}

/** An object schema's properties, with those of its allOf branches. */
export function mergedProperties(
  resolver: Resolver,
  raw: SchemaObject | undefined,
  hops = 0,
): Record<string, SchemaObject> {
  const schema = resolver.deref(raw);
  if (!schema || hops > 16) return {};
  const out: Record<string, SchemaObject> = {};
  for (const branch of schema.allOf ?? [])
    Object.assign(out, mergedProperties(resolver, branch, hops + 1));
  return Object.assign(out, schema.properties ?? {});
}

function jsonType(content: Record<string, unknown>): string | undefined {
  const types = Object.keys(content);
  return (
    types.find((t) => t === "application/json") ??
    types.find((t) => /[/+]json\b/i.test(t)) ??
    types.find((t) => t === "*/*")
  );
}

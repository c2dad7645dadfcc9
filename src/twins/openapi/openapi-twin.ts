/**
 * A twin from an OpenAPI 3.0/3.1 description: one route per path and method, requests
 * validated against the operation, answers from the description's examples or generated from
 * its schemas with the twin's seeded random, and (with `crud`) a store by resource path.
 *
 * Large descriptions load quickly: registering routes lists only the paths and their methods;
 * an operation's parameters, body schema and answer are prepared the first time it is called.
 */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode, StatusCode } from "hono/utils/http-status";
import { createClock } from "../runtime/clock.js";
import type { TwinContext, TwinDefinition } from "../runtime/contract.js";
import { createSeededRandom } from "../runtime/seeded-random.js";
import { generate, type Issue, Resolver, type SchemaObject, validate } from "./schema.js";

export interface OpenApiState {
  /** Stored resources by collection path (`/payments`, `/users/7/keys`), in creation order. */
  collections: Record<string, Record<string, unknown>[]>;
  /** The last integer id handed out per collection. */
  counters: Record<string, number>;
}

export type ErrorShape = (status: number, message: string, field?: string) => unknown;

export interface OpenApiTwinOptions {
  name: string;
  /** Store what is POSTed and answer GET/PUT/PATCH/DELETE from the store. */
  crud?: boolean;
  description?: string;
  /** The body of every error answer; default `{"error": {"status", "message", "field"?}}`. */
  errorShape?: ErrorShape;
}

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  schema?: SchemaObject;
}

interface MediaObject {
  schema?: SchemaObject;
  example?: unknown;
  examples?: Record<string, { value?: unknown; $ref?: string }>;
}

interface ResponseObject {
  content?: Record<string, MediaObject>;
}

interface OperationObject {
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content?: Record<string, MediaObject>; $ref?: string };
  responses?: Record<string, ResponseObject>;
}

type PathItem = Record<string, unknown> & { parameters?: ParameterObject[] };

interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; description?: string };
  servers?: { url?: string; variables?: Record<string, { default?: string }> }[];
  paths?: Record<string, PathItem>;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

export const defaultErrorShape: ErrorShape = (status, message, field) => ({
  error: { status, message, ...(field === undefined ? {} : { field }) },
});

/** What an operation needs at request time, worked out on its first call. */
interface Prepared {
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

type CrudRole =
  | { kind: "create" | "list"; idField: string; idSchema?: SchemaObject }
  | { kind: "read" | "replace" | "update" | "remove"; idField: string };

export function openApiTwin(
  document: object,
  options: OpenApiTwinOptions,
): TwinDefinition<OpenApiState> {
  const doc = document as OpenApiDocument;
  if (!doc || typeof doc.paths !== "object" || doc.paths === null)
    throw new TypeError("not an OpenAPI document: it has no `paths`");
  const resolver = new Resolver(doc);
  const shape = options.errorShape ?? defaultErrorShape;
  const prefix = serverPrefix(doc);
  const paths = doc.paths;

  return {
    name: options.name,
    description:
      options.description ??
      `${doc.info?.title ?? options.name} (a twin from its OpenAPI description)`,
    initialState: () => ({ collections: {}, counters: {} }),
    routes(app: Hono, twin: TwinContext<OpenApiState>) {
      for (const template of Object.keys(paths).sort(bySpecificity)) {
        const item = resolver.deref(paths[template]) as PathItem | undefined;
        if (!item || typeof item !== "object") continue;
        const { path, mixed } = honoPath(template);
        for (const method of METHODS) {
          if (!item[method] || typeof item[method] !== "object") continue;
          let prepared: Prepared | undefined;
          app.on(method.toUpperCase(), prefix + path, async (c) => {
            prepared ??= prepare(resolver, template, method, item, options.crud === true);
            const params = pathParams(c, mixed);
            if (!params)
              return error(c, 404, `Unrecognized request URL (${c.req.method}: ${c.req.path})`);
            return handle(c, prepared, params, twin);
          });
        }
      }
    },
    errors: { error: (status, message) => ({ body: shape(status, message) }) },
  };

  function error(c: Context, status: number, message: string, field?: string): Response {
    return c.json(shape(status, message, field) as object, status as ContentfulStatusCode);
  }

  async function handle(
    c: Context,
    op: Prepared,
    params: Record<string, string>,
    twin: TwinContext<OpenApiState>,
  ): Promise<Response> {
    const issues: Issue[] = [];
    for (const parameter of op.pathParams) {
      const raw = params[parameter.name];
      if (raw !== undefined) checkParameter(parameter, [raw], `path.${parameter.name}`, issues);
    }
    for (const parameter of op.queryParams) {
      const values = c.req.queries(parameter.name);
      const field = `query.${parameter.name}`;
      if (!values || values.length === 0) {
        if (parameter.required) issues.push({ field, message: "required" });
      } else checkParameter(parameter, values, field, issues);
    }
    let body: unknown;
    if (op.body) {
      const text = c.req.method === "GET" || c.req.method === "HEAD" ? "" : await c.req.text();
      if (text.trim() === "") {
        if (op.body.required) issues.push({ field: "body", message: "required" });
      } else if (op.body.json) {
        try {
          body = JSON.parse(text);
        } catch (parseError) {
          return error(c, 400, `body: invalid JSON (${(parseError as Error).message})`, "body");
        }
        if (op.body.schema) issues.push(...validate(resolver, op.body.schema, body, "body"));
      }
    }
    const first = issues[0];
    if (first) return error(c, 400, `${first.field}: ${first.message}`, first.field);
    if (op.crud) return crud(c, op, op.crud, body, twin);
    return answer(c, op, twin);
  }

  function answer(c: Context, op: Prepared, twin: TwinContext<OpenApiState>, value?: unknown) {
    const { status, empty, schema, example } = op.answer;
    if (empty) return c.body(null, status as StatusCode);
    const out =
      value !== undefined
        ? value
        : example
          ? structuredClone(example.value)
          : generate(resolver, schema, twin);
    return c.json(out as object, status as ContentfulStatusCode);
  }

  function checkParameter(
    parameter: ParameterObject,
    values: string[],
    field: string,
    issues: Issue[],
  ) {
    const schema = resolver.deref(parameter.schema);
    if (!schema) return;
    const array = schemaType(schema) === "array";
    const items = array ? values.flatMap((v) => v.split(",")) : values.slice(0, 1);
    const itemSchema = array ? resolver.deref(schema.items) : schema;
    const coerced: unknown[] = [];
    for (const raw of items) {
      const value = coerce(itemSchema, raw);
      if (value === undefined) {
        issues.push({
          field,
          message: `expected ${itemSchema ? schemaType(itemSchema) : "a value"}, got ${JSON.stringify(raw)}`,
        });
        return;
      }
      coerced.push(value);
    }
    issues.push(...validate(resolver, schema, array ? coerced : coerced[0], field));
  }

  function coerce(schema: SchemaObject | undefined, raw: string): unknown {
    switch (schema ? schemaType(schema) : undefined) {
      case "integer":
        return /^-?\d+$/.test(raw) ? Number(raw) : undefined;
      case "number":
        return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : undefined;
      case "boolean":
        return raw === "true" ? true : raw === "false" ? false : undefined;
      default:
        return raw;
    }
  }

  function schemaType(schema: SchemaObject): string | undefined {
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    return types.find((t) => t !== "null");
  }

  function crud(
    c: Context,
    op: Prepared,
    role: CrudRole,
    body: unknown,
    twin: TwinContext<OpenApiState>,
  ): Response {
    const { collections, counters } = twin.state;
    const path = c.req.path.replace(/\/+$/, "");
    const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? body : {};
    if (role.kind === "create" || role.kind === "list") {
      const stored = collections[path] ?? [];
      if (role.kind === "list") return answer(c, op, twin, listAnswer(op, stored, twin));
      let id = (fields as Record<string, unknown>)[role.idField];
      if (id === undefined) {
        const idSchema = resolver.deref(role.idSchema);
        if (idSchema && schemaType(idSchema) === "integer") {
          counters[path] = (counters[path] ?? 0) + 1;
          id = counters[path];
        } else if (idSchema?.format === "uuid") id = generate(resolver, idSchema, twin);
        else id = twin.random.id("", 14);
      }
      const base = op.answer.schema ? generate(resolver, op.answer.schema, twin) : {};
      const record = {
        ...(typeof base === "object" && base !== null && !Array.isArray(base) ? base : {}),
        ...fields,
        [role.idField]: id,
      };
      collections[path] = [...stored, record];
      return answer(c, op, twin, record);
    }
    const slash = path.lastIndexOf("/");
    const collection = path.slice(0, slash);
    const id = decodeURIComponent(path.slice(slash + 1));
    const stored = collections[collection] ?? [];
    const index = stored.findIndex((r) => String(r[role.idField]) === id);
    const found = stored[index];
    if (!found) {
      if (role.kind === "replace") {
        const record = { ...fields, [role.idField]: id };
        collections[collection] = [...stored, record];
        return answer(c, op, twin, record);
      }
      return error(c, 404, `${c.req.path} was not found`);
    }
    switch (role.kind) {
      case "read":
        return answer(c, op, twin, found);
      case "remove":
        stored.splice(index, 1);
        return answer(c, op, twin, found);
      default: {
        const record = { ...found, ...fields, [role.idField]: found[role.idField] };
        stored[index] = record;
        return answer(c, op, twin, record);
      }
    }
  }

  /** The stored list as the list operation answers it: an array, or inside its one array property. */
  function listAnswer(op: Prepared, stored: unknown[], twin: TwinContext<OpenApiState>): unknown {
    const schema = resolver.deref(op.answer.schema);
    if (!schema || schemaType(schema) === "array" || schema.items) return stored;
    const properties = mergedProperties(resolver, schema);
    const arrays = Object.entries(properties).filter(
      ([, p]) => schemaType(resolver.deref(p) ?? {}) === "array",
    );
    const only = arrays.length === 1 ? arrays[0] : undefined;
    if (!only) return stored;
    const wrapper = generate(resolver, schema, twin) as Record<string, unknown>;
    return { ...wrapper, [only[0]]: stored };
  }
}

function prepare(
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
function mergedProperties(
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

/** `servers[0].url`'s path, with its variables' defaults: `/v1` of `https://api.example.com/v1`. */
function serverPrefix(doc: OpenApiDocument): string {
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
interface MixedSegment {
  key: string;
  pattern: RegExp;
  names: string[];
}

function honoPath(template: string): { path: string; mixed: MixedSegment[] } {
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

function pathParams(c: Context, mixed: MixedSegment[]): Record<string, string> | undefined {
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
function bySpecificity(a: string, b: string): number {
  const as = a.split("/");
  const bs = b.split("/");
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const ap = (as[i] ?? "").includes("{");
    const bp = (bs[i] ?? "").includes("{");
    if (ap !== bp) return ap ? 1 : -1;
  }
  return as.length - bs.length;
}

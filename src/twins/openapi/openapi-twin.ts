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
import type { TwinContext, TwinDefinition } from "../runtime/contract.js";
import { generate } from "./generate.js";
import {
  type CrudRole,
  METHODS,
  mergedProperties,
  type OpenApiDocument,
  type ParameterObject,
  type PathItem,
  type Prepared,
  prepare,
} from "./operation.js";
import { bySpecificity, honoPath, pathParams, serverPrefix } from "./routes.js";
import { type Issue, Resolver, type SchemaObject } from "./schema.js";
import { validate } from "./validate.js";

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

export const defaultErrorShape: ErrorShape = (status, message, field) => ({
  error: { status, message, ...(field === undefined ? {} : { field }) },
});

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

/** A validator of values against a schema that names the field at fault (`body.items[2].sku`). */
import {
  type Direction,
  type Issue,
  MAX_HOPS,
  type Resolver,
  type SchemaObject,
  typesOf,
} from "./schema.js";

const patterns = new Map<string, RegExp | null>();

function regex(pattern: string): RegExp | null {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(pattern, "u");
    } catch {
      compiled = null;
    }
    patterns.set(pattern, compiled);
  }
  return compiled;
}

export function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    default:
      return true;
  }
}

/** Whether null is a value the schema allows (3.0 `nullable`, 3.1 `type: [.., "null"]`, enums). */
export function allowsNull(resolver: Resolver, raw: SchemaObject, hops = 0): boolean {
  if (hops > MAX_HOPS) return true;
  const schema = resolver.deref(raw);
  if (typeof schema !== "object" || schema === null) return schema !== false;
  if (schema.nullable === true) return true;
  const types = typesOf(schema);
  if (types?.includes("null")) return true;
  if (schema.enum) return schema.enum.includes(null);
  if ("const" in schema) return schema.const === null;
  const branches = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  if (branches.length > 0) return branches.some((b) => allowsNull(resolver, b, hops + 1));
  if (schema.allOf && schema.allOf.length > 0)
    return schema.allOf.every((b) => allowsNull(resolver, b, hops + 1));
  // A schema that says nothing about the value allows anything.
  return types === undefined && !schema.properties && !schema.items && !schema.required;
}

const FORMATS: Record<string, RegExp> = {
  "date-time": /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:?\d\d)?$/,
  date: /^\d{4}-\d\d-\d\d$/,
  email: /^[^@\s]+@[^@\s]+$/,
  uuid: /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
};

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** The problems of `value` against `schema`, each naming its field (`body.items[2].sku`). */
export function validate(
  resolver: Resolver,
  schema: SchemaObject | boolean,
  value: unknown,
  field: string,
  direction: Direction = "request",
): Issue[] {
  const issues: Issue[] = [];
  check(resolver, schema, value, field, direction, 0, issues);
  return issues;
}

function check(
  resolver: Resolver,
  raw: SchemaObject | boolean,
  value: unknown,
  field: string,
  direction: Direction,
  hops: number,
  issues: Issue[],
): void {
  // A cycle of refs or allOfs that never reaches into the value: nothing more to say.
  if (hops > MAX_HOPS) return;
  if (raw === true || raw === undefined) return;
  if (raw === false) {
    issues.push({ field, message: "no value is allowed here" });
    return;
  }
  const schema = resolver.deref(raw);
  if (typeof schema !== "object" || schema === null) return;
  const types = typesOf(schema);
  if (value === null) {
    if (!allowsNull(resolver, schema, hops))
      issues.push({ field, message: `expected ${types?.join(" or ") ?? "a value"}, got null` });
    return;
  }
  for (const branch of schema.allOf ?? [])
    check(resolver, branch, value, field, direction, hops + 1, issues);
  const alternatives = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  if (alternatives.length > 0) {
    let best: Issue[] | undefined;
    for (const branch of alternatives) {
      const found: Issue[] = [];
      check(resolver, branch, value, field, direction, hops + 1, found);
      if (found.length === 0) {
        best = undefined;
        break;
      }
      if (!best || found.length < best.length) best = found;
    }
    if (best) {
      issues.push(...best);
      return;
    }
  }
  if (types && !types.some((type) => typeMatches(type, value))) {
    issues.push({
      field,
      message: `expected ${types.filter((t) => t !== "null").join(" or ")}, got ${typeOf(value)}`,
    });
    return;
  }
  if (schema.enum && !schema.enum.some((allowed) => sameValue(allowed, value))) {
    issues.push({
      field,
      message: `expected one of ${schema.enum.map(show).join(", ")}, got ${show(value)}`,
    });
    return;
  }
  if ("const" in schema && !sameValue(schema.const, value)) {
    issues.push({ field, message: `expected ${show(schema.const)}, got ${show(value)}` });
    return;
  }
  if (typeof value === "string") checkString(schema, value, field, issues);
  else if (typeof value === "number") checkNumber(schema, value, field, issues);
  else if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      issues.push({ field, message: `expected at least ${schema.minItems} items` });
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      issues.push({ field, message: `expected at most ${schema.maxItems} items` });
    if (schema.items)
      for (const [index, item] of value.entries())
        check(resolver, schema.items, item, `${field}[${index}]`, direction, 0, issues);
  } else if (typeof value === "object")
    checkObject(resolver, schema, value as Record<string, unknown>, field, direction, issues);
}

function checkString(schema: SchemaObject, value: string, field: string, issues: Issue[]) {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength)
    issues.push({ field, message: `expected at least ${schema.minLength} characters` });
  if (schema.maxLength !== undefined && length > schema.maxLength)
    issues.push({ field, message: `expected at most ${schema.maxLength} characters` });
  if (schema.pattern !== undefined && regex(schema.pattern)?.test(value) === false)
    issues.push({ field, message: `expected to match ${schema.pattern}, got ${show(value)}` });
  const format = schema.format === undefined ? undefined : FORMATS[schema.format];
  if (format && !format.test(value))
    issues.push({ field, message: `expected a ${schema.format}, got ${show(value)}` });
}

function checkNumber(schema: SchemaObject, value: number, field: string, issues: Issue[]) {
  if (schema.minimum !== undefined) {
    const exclusive = schema.exclusiveMinimum === true;
    if (exclusive ? value <= schema.minimum : value < schema.minimum)
      issues.push({
        field,
        message: `must be ${exclusive ? ">" : ">="} ${schema.minimum}, got ${value}`,
      });
  }
  if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum)
    issues.push({ field, message: `must be > ${schema.exclusiveMinimum}, got ${value}` });
  if (schema.maximum !== undefined) {
    const exclusive = schema.exclusiveMaximum === true;
    if (exclusive ? value >= schema.maximum : value > schema.maximum)
      issues.push({
        field,
        message: `must be ${exclusive ? "<" : "<="} ${schema.maximum}, got ${value}`,
      });
  }
  if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum)
    issues.push({ field, message: `must be < ${schema.exclusiveMaximum}, got ${value}` });
  if (
    schema.multipleOf &&
    Math.abs(value / schema.multipleOf - Math.round(value / schema.multipleOf)) > 1e-9
  )
    issues.push({ field, message: `must be a multiple of ${schema.multipleOf}, got ${value}` });
}

function checkObject(
  resolver: Resolver,
  schema: SchemaObject,
  value: Record<string, unknown>,
  field: string,
  direction: Direction,
  issues: Issue[],
) {
  const properties = schema.properties ?? {};
  for (const name of schema.required ?? []) {
    if (value[name] !== undefined) continue;
    const property = properties[name] ? resolver.deref(properties[name]) : undefined;
    if (direction === "request" && property?.readOnly) continue;
    if (direction === "response" && property?.writeOnly) continue;
    issues.push({ field: `${field}.${name}`, message: "required" });
  }
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const property = properties[name];
    if (property !== undefined)
      check(resolver, property, item, `${field}.${name}`, direction, 0, issues);
    else if (schema.additionalProperties === false)
      issues.push({ field: `${field}.${name}`, message: "unexpected property" });
    else if (typeof schema.additionalProperties === "object")
      check(resolver, schema.additionalProperties, item, `${field}.${name}`, direction, 0, issues);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A seeded generator of values that conform to a schema. */
import type { SeededRandom, TwinClock } from "../runtime/contract.js";
import { type Direction, MAX_HOPS, type Resolver, type SchemaObject, typesOf } from "./schema.js";

export interface GenerateContext {
  random: SeededRandom;
  clock: TwinClock;
}

/** Optional properties are filled (half of them) only this near the top. */
const OPTIONAL_DEPTH = 2;
/** Beyond this, only what is required; beyond MAX_DEPTH, the emptiest value of the type. */
const REQUIRED_ONLY_DEPTH = 6;
const MAX_DEPTH = 14;

/** A value that conforms to `schema`, the same for the same random state. */
export function generate(
  resolver: Resolver,
  raw: SchemaObject | boolean | undefined,
  context: GenerateContext,
  direction: Direction = "response",
  depth = 0,
  hops = 0,
): unknown {
  if (raw === undefined || typeof raw === "boolean" || hops > MAX_HOPS) return {};
  const schema = resolver.deref(raw);
  if (typeof schema !== "object" || schema === null) return {};
  const { random } = context;
  if ("const" in schema) return schema.const;
  if (schema.enum && schema.enum.length > 0) {
    const choices = schema.enum.filter((v) => v !== null);
    const from = choices.length > 0 ? choices : schema.enum;
    return from[random.int(0, from.length - 1)];
  }
  const pieces: unknown[] = [];
  for (const branch of schema.allOf ?? [])
    pieces.push(generate(resolver, branch, context, direction, depth, hops + 1));
  const alternatives = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].filter(
    (b) => typesOf(resolver.deref(b))?.join() !== "null",
  );
  if (alternatives.length > 0) {
    const branch = alternatives[random.int(0, alternatives.length - 1)];
    pieces.push(generate(resolver, branch, context, direction, depth, hops + 1));
  }
  const type = typeToGenerate(schema);
  if (type !== undefined || pieces.length === 0) {
    const own = generateTyped(resolver, schema, type ?? "string", context, direction, depth);
    if (pieces.length === 0) return own;
    pieces.push(own);
  }
  // allOf (and an object's own properties beside it): the objects merged, else the last word.
  if (pieces.every((p) => typeof p === "object" && p !== null && !Array.isArray(p)))
    return Object.assign({}, ...pieces);
  return pieces.at(-1);
}

function typeToGenerate(schema: SchemaObject): string | undefined {
  const types = typesOf(schema)?.filter((t) => t !== "null");
  if (types && types.length > 0) return types[0];
  if (schema.properties || schema.additionalProperties !== undefined || schema.required)
    return "object";
  if (schema.items) return "array";
  if (schema.format || schema.pattern || schema.minLength !== undefined) return "string";
  if (schema.minimum !== undefined || schema.maximum !== undefined) return "number";
  return undefined;
}

function generateTyped(
  resolver: Resolver,
  schema: SchemaObject,
  type: string,
  context: GenerateContext,
  direction: Direction,
  depth: number,
): unknown {
  const { random } = context;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      if (depth > MAX_DEPTH) return out;
      const required = new Set(schema.required ?? []);
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const resolved = resolver.deref(property);
        if (direction === "response" && resolved?.writeOnly) continue;
        if (direction === "request" && resolved?.readOnly) continue;
        const take = required.has(name) || (depth < OPTIONAL_DEPTH && random.next() < 0.5);
        if (!take || (depth >= REQUIRED_ONLY_DEPTH && !required.has(name))) continue;
        out[name] = generate(resolver, property, context, direction, depth + 1);
      }
      for (const name of required) if (!(name in out)) out[name] = random.id("", 8);
      return out;
    }
    case "array": {
      if (depth > REQUIRED_ONLY_DEPTH && (schema.minItems ?? 0) === 0) return [];
      const min = schema.minItems ?? 1;
      const max = Math.max(min, schema.maxItems ?? 3);
      const count = Math.min(max, Math.max(min, random.int(1, 3)));
      return Array.from({ length: count }, () =>
        generate(resolver, schema.items, context, direction, depth + 1),
      );
    }
    case "integer":
    case "number":
      return generateNumber(schema, type === "integer", random);
    case "boolean":
      return random.next() < 0.5;
    case "null":
      return null;
    default:
      return generateString(schema, context);
  }
}

function generateNumber(schema: SchemaObject, integer: boolean, random: SeededRandom): number {
  let low =
    schema.minimum ??
    (typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum : undefined);
  let high =
    schema.maximum ??
    (typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum : undefined);
  const lowOpen =
    schema.exclusiveMinimum === true ||
    (schema.minimum === undefined && typeof schema.exclusiveMinimum === "number");
  const highOpen =
    schema.exclusiveMaximum === true ||
    (schema.maximum === undefined && typeof schema.exclusiveMaximum === "number");
  if (low === undefined && high === undefined) [low, high] = [1, 1000];
  else if (low === undefined) low = (high as number) - 1000;
  else if (high === undefined) high = low + 1000;
  let lo = low as number;
  let hi = high as number;
  if (integer) {
    lo = lowOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
    hi = highOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
    if (hi < lo) hi = lo;
    const value = random.int(lo, hi);
    return schema.multipleOf
      ? Math.max(lo, Math.floor(value / schema.multipleOf) * schema.multipleOf)
      : value;
  }
  const value = Math.round((lo + random.next() * (hi - lo)) * 100) / 100;
  if ((lowOpen && value <= lo) || (highOpen && value >= hi)) return (lo + hi) / 2;
  return Math.min(hi, Math.max(lo, value));
}

const WORDS = [
  "alpha",
  "bravo",
  "cedar",
  "delta",
  "ember",
  "falcon",
  "garnet",
  "harbor",
  "indigo",
  "juniper",
];

function generateString(schema: SchemaObject, { random, clock }: GenerateContext): string {
  let value: string;
  switch (schema.format) {
    case "uuid": {
      const hex = random.hex(16);
      value = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
      break;
    }
    case "date-time":
      value = new Date(clock.now()).toISOString();
      break;
    case "date":
      value = new Date(clock.now()).toISOString().slice(0, 10);
      break;
    case "time":
      value = new Date(clock.now()).toISOString().slice(11, 19);
      break;
    case "email":
      value = `${WORDS[random.int(0, WORDS.length - 1)]}${random.int(1, 999)}@example.com`;
      break;
    case "uri":
    case "url":
    case "uri-reference":
      value = `https://example.com/${random.id("", 8).toLowerCase()}`;
      break;
    case "hostname":
      value = `${random.id("", 6).toLowerCase()}.example.com`;
      break;
    case "ipv4":
      value = `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
      break;
    case "ipv6":
      value = `fd00::${random.hex(2)}`;
      break;
    case "byte":
      value = Buffer.from(random.hex(6), "hex").toString("base64");
      break;
    default:
      // A pattern we cannot generate from: the schema's own example, when it has one.
      if (schema.pattern && typeof schema.example === "string") return schema.example;
      value = `${WORDS[random.int(0, WORDS.length - 1)]}-${random.id("", 6).toLowerCase()}`;
  }
  if (schema.minLength !== undefined && value.length < schema.minLength)
    value = value.padEnd(schema.minLength, "x");
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    value = value.slice(0, schema.maxLength);
  return value;
}

/**
 * JSON Schema as OpenAPI 3.0 and 3.1 use it: the schema type and `$ref`s resolved on demand
 * (never the whole document at once). Validation is in `validate.ts`, generation of values that
 * conform in `generate.ts`. Cycles are safe: a chain of `$ref`s that never reaches a value stops.
 */
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  properties?: Record<string, SchemaObject>;
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  readOnly?: boolean;
  writeOnly?: boolean;
  example?: unknown;
}

/** Follows `#/...` pointers into one document, remembering what it found. */
export class Resolver {
  private readonly found = new Map<string, unknown>();
  constructor(readonly document: unknown) {}

  pointer(ref: string): unknown {
    const hit = this.found.get(ref);
    if (hit !== undefined || this.found.has(ref)) return hit;
    let current: unknown;
    if (ref.startsWith("#")) {
      current = this.document;
      for (const raw of ref.slice(1).split("/").slice(1)) {
        const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
        if (current === null || typeof current !== "object") {
          current = undefined;
          break;
        }
        current = (current as Record<string, unknown>)[key];
      }
    }
    this.found.set(ref, current);
    return current;
  }

  /** The object behind a chain of `$ref`s; an unresolvable one (another file, say) is `{}`. */
  deref<T>(value: T): T {
    let current: unknown = value;
    for (let hops = 0; hops < 32; hops++) {
      const ref = (current as { $ref?: unknown } | null | undefined)?.$ref;
      if (typeof ref !== "string") return current as T;
      current = this.pointer(ref);
      if (current === undefined) return {} as T;
    }
    return {} as T;
  }
}

export interface Issue {
  field: string;
  message: string;
}

/** `request`: readOnly properties are not required; `response`: writeOnly ones are not. */
export type Direction = "request" | "response";

/** How many `$ref`/allOf/oneOf steps without reaching into the value before giving up. */
export const MAX_HOPS = 24;

export function typesOf(schema: SchemaObject): string[] | undefined {
  if (schema.type === undefined) return undefined;
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

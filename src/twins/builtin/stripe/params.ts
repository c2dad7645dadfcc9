/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracketed nesting
 * (`metadata[order]=7`, `expand[]=customer`, `expand[0]=customer`, `items[0][price]=p`), read
 * into plain objects and arrays, and the parameter checks Stripe answers with a 400 naming the
 * parameter.
 */
import { StripeApiError } from "./errors.js";

export type ParamValue = string | ParamValue[] | { [key: string]: ParamValue };
export type Params = { [key: string]: ParamValue };

/** A bracketed key, `a[b][]`, as its parts: `["a", "b", ""]`; undefined when malformed. */
function splitKey(key: string): string[] | undefined {
  const open = key.indexOf("[");
  if (open === -1) return key.length > 0 && !key.includes("]") ? [key] : undefined;
  const head = key.slice(0, open);
  if (head.length === 0 || head.includes("]")) return undefined;
  const parts = [head];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (!match) return undefined;
    parts.push(match[1] ?? "");
    rest = rest.slice(match[0].length);
  }
  return parts;
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, " "));
  } catch {
    throw new StripeApiError(400, {
      type: "invalid_request_error",
      message: `Invalid request: the form body contains a malformed percent-encoding (${component.slice(0, 40)}).`,
    });
  }
}

type Node = { [key: string]: Node | string };

/** Reads a form body or query string; throws Stripe's 400 on a body it cannot read. */
export function parseForm(text: string): Params {
  const root: Node = {};
  const appendCounters = new Map<Node, number>();
  for (const pair of text.split("&")) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf("=");
    const rawKey = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decode(pair.slice(eq + 1));
    const parts = splitKey(rawKey);
    if (!parts) {
      throw new StripeApiError(400, {
        type: "invalid_request_error",
        message: `Invalid request: the parameter name '${rawKey.slice(0, 60)}' is malformed.`,
        param: rawKey.slice(0, 60),
      });
    }
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      let part = parts[i] ?? "";
      if (part === "") {
        const n = appendCounters.get(node) ?? Object.keys(node).length;
        appendCounters.set(node, n + 1);
        part = String(n);
      }
      const last = i === parts.length - 1;
      const existing = node[part];
      const name = `${parts[0]}${parts
        .slice(1, i + 1)
        .map((p) => `[${p}]`)
        .join("")}`;
      if (last) {
        if (typeof existing === "object") conflict(name);
        node[part] = value;
      } else {
        if (typeof existing === "string") conflict(name);
        const child: Node = existing ?? {};
        node[part] = child;
        node = child;
      }
    }
  }
  return normalize(root) as Params;
}

function conflict(name: string): never {
  throw new StripeApiError(400, {
    type: "invalid_request_error",
    message: `Invalid request: '${name}' is given both as a value and as a hash.`,
    param: name,
  });
}

/** Objects whose keys are all indexes become arrays, in index order. */
function normalize(node: Node | string): ParamValue {
  if (typeof node === "string") return node;
  const keys = Object.keys(node);
  const out: { [key: string]: ParamValue } = {};
  for (const key of keys) out[key] = normalize(node[key] as Node | string);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => out[String(k)] as ParamValue);
  }
  return out;
}

function invalid(param: string, message: string, code?: string): never {
  throw new StripeApiError(400, {
    type: "invalid_request_error",
    message,
    param,
    ...(code ? { code } : {}),
  });
}

/** The parameters one endpoint takes; anything else is Stripe's `parameter_unknown`. */
export function allowOnly(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key) && key !== "expand") {
      invalid(key, `Received unknown parameter: ${key}`, "parameter_unknown");
    }
  }
}

export function requireParam(params: Params, name: string): ParamValue {
  const value = params[name];
  if (value === undefined) {
    invalid(name, `Missing required param: ${name}.`, "parameter_missing");
  }
  if (value === "") {
    invalid(
      name,
      `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`,
      "parameter_invalid_empty",
    );
  }
  return value;
}

export function str(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") invalid(name, `Invalid string: ${describe(value)}`);
  return value;
}

/** A string parameter where `""` means unset (null). */
export function nullableStr(params: Params, name: string): string | null | undefined {
  const value = str(params, name);
  return value === "" ? null : value;
}

export function int(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^-?\d{1,15}$/.test(value)) {
    invalid(name, `Invalid integer: ${describe(value)}`, "parameter_invalid_integer");
  }
  return Number(value);
}

export function bool(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  return invalid(name, `Invalid boolean: ${describe(value)}`);
}

export function oneOf<T extends string>(
  params: Params,
  name: string,
  choices: readonly T[],
): T | undefined {
  const value = str(params, name);
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    const list =
      choices.length > 1
        ? `${choices.slice(0, -1).join(", ")}, or ${choices[choices.length - 1]}`
        : choices.join("");
    invalid(name, `Invalid ${name}: must be one of ${list}`);
  }
  return value as T;
}

/** A hash parameter (`address[city]=...`); `""` unsets it (null). */
export function hash(params: Params, name: string): Record<string, ParamValue> | null | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === "") return null;
  if (typeof value !== "object" || Array.isArray(value)) invalid(name, "Invalid hash");
  return value;
}

export function stringList(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    invalid(name, "Invalid array");
  }
  return value as string[];
}

/**
 * Stripe's metadata rules: at most 50 keys, keys up to 40 characters, values up to 500;
 * on update a key set to `""` is removed, and `metadata=""` clears them all.
 */
export function metadata(
  params: Params,
  current: Record<string, string> = {},
): Record<string, string> | undefined {
  const value = params.metadata;
  if (value === undefined) return undefined;
  if (value === "") return {};
  if (typeof value !== "object" || Array.isArray(value)) invalid("metadata", "Invalid hash");
  const next: Record<string, string> = { ...current };
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") invalid(`metadata[${key}]`, `Invalid string: ${describe(v)}`);
    if (key.length > 40) {
      invalid(
        `metadata[${key}]`,
        `Metadata keys can have a maximum length of 40 characters. The key '${key}' is too long.`,
      );
    }
    if (v.length > 500) {
      invalid(
        `metadata[${key}]`,
        `Metadata values can have up to 500 characters, but you passed in a value that is ${v.length} characters. Invalid value: ${v.slice(0, 20)}...`,
      );
    }
    if (v === "") delete next[key];
    else next[key] = v;
  }
  if (Object.keys(next).length > 50) {
    invalid("metadata", "You can have a maximum of 50 metadata keys.");
  }
  return next;
}

function describe(value: ParamValue): string {
  if (typeof value === "string") return value;
  return Array.isArray(value) ? "[...]" : "{...}";
}

/** `expand[]` as a list of dotted paths. */
export function expandList(params: Params): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  if (typeof value === "string") return [value];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    invalid("expand", "Invalid array");
  }
  return value as string[];
}

/**
 * The CEL environment rules are checked and run in, built from the fact types, and the
 * conversion of a `ChangeFacts` object into the values that environment accepts.
 */
import { Environment } from "@marcbachmann/cel-js";
import { WorkError } from "../../common/index.js";
import { type ChangeFacts, factTypes, factVariables } from "../facts/change-facts.js";

type FactTypeName = keyof typeof factTypes;
const typeTable: Record<string, Record<string, string>> = factTypes;

let shared: Environment | undefined;

/**
 * One class per fact type. The library's `schema` types convert nested objects but not the
 * items of a list, so `change.files[0].path` would fail on them; values built with a
 * registered constructor are recognised wherever they sit.
 */
type FactObject = Record<string, unknown>;
const constructors = new Map<string, new (values: FactObject) => FactObject>();
for (const name of Object.keys(factTypes)) {
  const named = {
    [name]: class {
      constructor(values: FactObject) {
        Object.assign(this, values);
      }
    },
  }[name];
  if (named) constructors.set(name, named as unknown as new (values: FactObject) => FactObject);
}

/** The fact type a CEL value was built as, if it is a fact object. */
export function factTypeOf(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const ctor = constructors.get(value.constructor.name);
  return ctor === value.constructor ? typeTable[value.constructor.name] : undefined;
}

/** One environment for the process: it holds no state between evaluations. */
export function factEnvironment(): Environment {
  shared ??= buildEnvironment();
  return shared;
}

function buildEnvironment(): Environment {
  const env = new Environment({ unlistedVariablesAreDyn: false });
  for (const name of typesInDependencyOrder()) {
    env.registerType(name, { ctor: constructors.get(name), fields: { ...typeTable[name] } });
  }
  for (const [name, type] of Object.entries(factVariables)) env.registerVariable(name, type);
  return env;
}

/** A type's fields may name other fact types, which CEL needs registered first. */
function typesInDependencyOrder(): FactTypeName[] {
  const order: FactTypeName[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !(name in typeTable)) return;
    seen.add(name);
    for (const type of Object.values(typeTable[name] ?? {})) visit(elementType(type));
    order.push(name as FactTypeName);
  };
  for (const name of Object.keys(typeTable)) visit(name);
  return order;
}

function elementType(type: string): string {
  const list = /^list<(.+)>$/.exec(type);
  return list?.[1] ?? type;
}

/** Every field name the facts declare, for "did you mean" hints. */
export function factFieldNames(): string[] {
  const names = new Set<string>(Object.keys(factVariables));
  for (const fields of Object.values(typeTable)) for (const f of Object.keys(fields)) names.add(f);
  return [...names];
}

/**
 * The facts as CEL values: `int` fields become BigInt (the library refuses JS numbers for
 * them), and only declared fields are passed on. A missing or mistyped field is a bug in the
 * collector, so it throws rather than letting a rule read a wrong value.
 */
export function toCelFacts(facts: ChangeFacts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(factVariables)) {
    out[name] = convert((facts as unknown as Record<string, unknown>)[name], type, name);
  }
  return out;
}

function convert(value: unknown, type: string, path: string): unknown {
  if (value === undefined || value === null) throw factsError(path, `is missing (${type})`);
  const list = /^list<(.+)>$/.exec(type);
  if (list?.[1] !== undefined) {
    if (!Array.isArray(value)) throw factsError(path, `should be a list, not ${typeof value}`);
    const element = list[1];
    return value.map((item, i) => convert(item, element, `${path}[${i}]`));
  }
  switch (type) {
    case "string":
    case "bool":
      if (typeof value !== (type === "bool" ? "boolean" : "string"))
        throw factsError(path, `should be a ${type}, not ${typeof value}`);
      return value;
    case "double":
      if (typeof value !== "number") throw factsError(path, `should be a number`);
      return value;
    case "int":
      if (typeof value === "bigint") return value;
      if (typeof value !== "number" || !Number.isInteger(value))
        throw factsError(path, `should be a whole number, not ${String(value)}`);
      return BigInt(value);
  }
  const fields = typeTable[type];
  const ctor = constructors.get(type);
  if (fields === undefined || ctor === undefined)
    throw factsError(path, `has the undeclared type ${type}`);
  if (typeof value !== "object") throw factsError(path, `should be an object, not ${typeof value}`);
  const out: FactObject = {};
  for (const [field, fieldType] of Object.entries(fields)) {
    out[field] = convert((value as FactObject)[field], fieldType, `${path}.${field}`);
  }
  return new ctor(out);
}

function factsError(path: string, problem: string): WorkError {
  return new WorkError("facts-invalid", `the change facts are incomplete: ${path} ${problem}`, {
    hint: "this is a bug in the facts collector: every field of ChangeFacts must be filled",
  });
}

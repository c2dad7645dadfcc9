/** `factory twin serve`: several twins at once, each on its own port of 127.0.0.1. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import { closestWord, InputError } from "../common/index.js";
import { builtinTwins } from "./builtin/index.js";
import { loadOpenApiTwinFile } from "./openapi/index.js";
import type { TwinDefinition } from "./runtime/contract.js";
import { createTwin, type ServedTwin } from "./runtime/create-twin.js";
import type { FaultProfile } from "./runtime/faults.js";

export interface TwinServeOptions {
  seed?: string;
  faults?: FaultProfile;
  /** Per twin name; a twin not named gets a free port. */
  ports?: Record<string, number>;
  /** The factory home, whose `twins/*.ts` add custom twins (each exporting a definition as default). */
  home?: string;
  /** Twin-specific options per twin name: an LLM twin's `cassette`, say. */
  twinOptions?: Record<string, Record<string, unknown>>;
  /** Where every twin's virtual clock starts, epoch ms. */
  clockStart?: number;
}

/**
 * Built-in twins, then the home's own: `twins/*.yaml` declare twins from OpenAPI documents,
 * `twins/*.ts` export definitions. A home twin may not reuse a taken name.
 */
export async function availableTwins(home?: string): Promise<Map<string, TwinDefinition<unknown>>> {
  const twins = new Map<string, TwinDefinition<unknown>>();
  for (const twin of builtinTwins) twins.set(twin.name, twin);
  const dir = home ? join(home, "twins") : undefined;
  if (!dir || !existsSync(dir)) return twins;
  for (const file of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const twin = loadOpenApiTwinFile(join(dir, file)) as TwinDefinition<unknown>;
    if (twins.has(twin.name)) {
      throw new InputError(
        "twin-name-taken",
        `twins/${file} names its twin "${twin.name}", which is taken`,
        {
          hint: "give the custom twin a name of its own",
        },
      );
    }
    twins.set(twin.name, twin);
  }
  for (const file of readdirSync(dir)
    .filter((f) => /\.(ts|js|mjs)$/.test(f))
    .sort()) {
    // tsImport: a home has no package.json saying `type: module`, and its .ts files are ESM.
    const module = (await tsImport(pathToFileURL(join(dir, file)).href, import.meta.url)) as {
      default?: TwinDefinition<unknown> & { default?: TwinDefinition<unknown> };
    };
    // Outside an ESM package the file loads as CommonJS, its default export one level down.
    const twin = module.default?.default ?? module.default;
    if (!twin?.name || typeof twin.routes !== "function" || !twin.errors) {
      throw new InputError(
        "twin-invalid",
        `twins/${file} does not export a twin definition as default`,
        {
          hint: "export default { name, description, initialState, routes, errors } (see src/twins/runtime/contract.ts)",
        },
      );
    }
    if (twins.has(twin.name)) {
      throw new InputError(
        "twin-name-taken",
        `twins/${file} names its twin "${twin.name}", which is taken`,
        {
          hint: "give the custom twin a name of its own",
        },
      );
    }
    twins.set(twin.name, twin);
  }
  return twins;
}

export async function serveTwins(
  names: string[],
  options: TwinServeOptions = {},
): Promise<ServedTwin[]> {
  const twins = await availableTwins(options.home);
  const unknown = names.filter((name) => !twins.has(name));
  if (unknown.length > 0) {
    const suggestion = closestWord(unknown[0] ?? "", [...twins.keys()]);
    throw new InputError("unknown-twin", `no twin named ${unknown.join(", ")}`, {
      hint: `${suggestion ? `did you mean ${suggestion}? ` : ""}the twins here: ${[...twins.keys()].join(", ")}`,
    });
  }
  for (const name of Object.keys(options.ports ?? {}))
    if (!names.includes(name))
      throw new InputError(
        "port-for-unserved-twin",
        `--port names ${name}, which is not being served`,
      );
  const served: ServedTwin[] = [];
  try {
    for (const name of names) {
      const definition = twins.get(name) as TwinDefinition<unknown>;
      const twin = createTwin(definition, {
        ...(options.seed ? { seed: options.seed } : {}),
        ...(options.faults ? { faults: options.faults } : {}),
        ...(options.clockStart !== undefined ? { clockStart: options.clockStart } : {}),
        ...(options.twinOptions?.[name] ? { options: options.twinOptions[name] } : {}),
      });
      served.push(await twin.serve({ port: options.ports?.[name] ?? 0 }));
    }
  } catch (error) {
    await Promise.all(served.map((s) => s.close()));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new InputError(
        "port-in-use",
        `a port asked for is already in use: ${(error as Error).message}`,
        {
          hint: "choose another with --port name=<n>, or leave it out for a free one",
        },
      );
    throw error;
  }
  return served;
}

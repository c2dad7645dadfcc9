/**
 * A twin declared in YAML in a factory home's `twins/`:
 *
 *     name: payments
 *     description: Payments, from their OpenAPI description
 *     openapi: ../specs/payments.yaml   # relative to this file
 *     crud: true
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { z } from "zod";
import {
  type Diagnostic,
  formatDiagnostic,
  InputError,
  parseLocatedYaml,
  zodIssuesToDiagnostics,
} from "../../common/index.js";
import type { TwinDefinition } from "../runtime/contract.js";
import { openApiTwin } from "./openapi-twin.js";

const declarationSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, "a twin name is lowercase letters, digits and dashes"),
  description: z.string().optional(),
  openapi: z.string().min(1, "the path of an OpenAPI document (.yaml or .json)"),
  crud: z.boolean().optional(),
});

export type OpenApiTwinDeclaration = z.infer<typeof declarationSchema>;

function located(diagnostics: Diagnostic[]): InputError {
  const [first] = diagnostics;
  const text = diagnostics.map((d) => formatDiagnostic(d).split("\n")[0]).join("\n");
  return new InputError("openapi-twin-invalid", text, {
    hint: first?.hint ?? "see src/twins/openapi/load.ts for the fields of a declaration",
  });
}

export function loadOpenApiTwinFile(file: string): TwinDefinition<unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(
      "openapi-twin-unreadable",
      `cannot read ${file}: ${(error as Error).message}`,
      {
        hint: "check the path of the twin declaration",
        cause: error,
      },
    );
  }
  const source = parseLocatedYaml(text, file);
  if (source.syntaxIssues.length > 0) throw located(source.syntaxIssues);
  const parsed = declarationSchema.safeParse(source.value ?? {});
  if (!parsed.success)
    throw located(zodIssuesToDiagnostics(parsed.error.issues, source, declarationSchema));
  const declaration = parsed.data;
  const where = source.locate(["openapi"]);
  const at = `${file}:${where.line}:${where.column}`;
  const documentFile = resolve(dirname(file), declaration.openapi);
  if (!existsSync(documentFile))
    throw new InputError(
      "openapi-document-missing",
      `${at} no OpenAPI document at ${documentFile}`,
      {
        hint: "openapi: is a path relative to the declaration, to a .yaml, .yml or .json file",
      },
    );
  const document = readDocument(documentFile, at);
  const twin = openApiTwin(document, {
    name: declaration.name,
    ...(declaration.crud === undefined ? {} : { crud: declaration.crud }),
    ...(declaration.description === undefined ? {} : { description: declaration.description }),
  });
  return twin as unknown as TwinDefinition<unknown>;
}

/** Parses and sanity-checks an OpenAPI 3 document; `at` is where the declaration names it. */
function readDocument(file: string, at: string): object {
  const text = readFileSync(file, "utf8");
  let value: unknown;
  // JSON is YAML too, and JSON.parse reads a large description ten times faster.
  if (extname(file).toLowerCase() === ".json" || text.trimStart().startsWith("{")) {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InputError(
        "openapi-document-invalid",
        `${file}: not JSON: ${(error as Error).message}`,
        {
          hint: `fix the document, or point openapi: (${at}) at another`,
        },
      );
    }
  } else {
    const source = parseLocatedYaml(text, file);
    if (source.syntaxIssues.length > 0) throw located(source.syntaxIssues);
    value = source.value;
  }
  const doc = value as { openapi?: unknown; swagger?: unknown; paths?: unknown } | null;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new InputError(
      "openapi-document-invalid",
      `${file}: not an OpenAPI document (not an object)`,
      {
        hint: `point openapi: (${at}) at an OpenAPI 3.0 or 3.1 description`,
      },
    );
  if (doc.swagger !== undefined)
    throw new InputError(
      "openapi-document-invalid",
      `${file}: a Swagger ${String(doc.swagger)} document, not OpenAPI 3`,
      {
        hint: "convert it to OpenAPI 3 first (e.g. with swagger2openapi)",
      },
    );
  if (typeof doc.openapi !== "string" || !doc.openapi.startsWith("3."))
    throw new InputError("openapi-document-invalid", `${file}: no "openapi: 3.x" version field`, {
      hint: `point openapi: (${at}) at an OpenAPI 3.0 or 3.1 description`,
    });
  if (typeof doc.paths !== "object" || doc.paths === null)
    throw new InputError("openapi-document-invalid", `${file}: it has no paths`, {
      hint: "an OpenAPI twin answers the document's paths; add some",
    });
  return doc;
}

export { generate } from "./generate.js";
export { loadOpenApiTwinFile, type OpenApiTwinDeclaration } from "./load.js";
export {
  defaultErrorShape,
  type ErrorShape,
  type OpenApiState,
  type OpenApiTwinOptions,
  openApiTwin,
} from "./openapi-twin.js";
export { Resolver, type SchemaObject } from "./schema.js";
export { validate } from "./validate.js";

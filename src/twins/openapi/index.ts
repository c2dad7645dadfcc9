export { loadOpenApiTwinFile, type OpenApiTwinDeclaration } from "./load.js";
export {
  defaultErrorShape,
  type ErrorShape,
  type OpenApiState,
  type OpenApiTwinOptions,
  openApiTwin,
} from "./openapi-twin.js";
export { generate, Resolver, type SchemaObject, validate } from "./schema.js";

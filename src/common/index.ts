export { closestWord, editDistance } from "./closest-word.js";
export {
  countBySeverity,
  type Diagnostic,
  formatDiagnostic,
  type Parsed,
  sortDiagnostics,
} from "./diagnostic.js";
export { DAY_MS, parseDuration } from "./duration.js";
export {
  type ExitCode,
  FactoryError,
  type FactoryErrorOptions,
  InputError,
  isFactoryError,
  WorkError,
} from "./errors.js";
export {
  formatPath,
  type LocatedYaml,
  parseLocatedYaml,
  shapeKeysAt,
  type YamlPath,
  zodIssuesToDiagnostics,
} from "./yaml-source.js";

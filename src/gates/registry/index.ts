/** Registry facts about added dependencies: existence, age, downloads, install scripts, advisories, look-alike names. */
export {
  type DependencyToInspect,
  type InspectDependenciesOptions,
  inspectDependencies,
} from "./inspect-dependencies.js";
export { editDistance, type LookAlike, lookAlike } from "./look-alike.js";
export { POPULAR_PACKAGES } from "./popular-packages.js";
export { maxSatisfying } from "./semver-range.js";

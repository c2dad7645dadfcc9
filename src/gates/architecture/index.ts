/** Architecture facts: the product's imports judged by dependency-cruiser rules from the factory home. */
export { type CheckArchitectureOptions, checkArchitecture } from "./check-architecture.js";

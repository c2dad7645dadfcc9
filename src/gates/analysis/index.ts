/** Static analysis facts: the product's type-check and lint commands, run in the sandbox. */
export { type RunAnalysisOptions, runAnalysis } from "./run-analysis.js";

export type { CliIo } from "./context.js";
export { runCli } from "./run-cli.js";

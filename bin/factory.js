#!/usr/bin/env node
// The `factory` command: loads the TypeScript CLI through tsx, then hands over to it.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/index.ts");
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});

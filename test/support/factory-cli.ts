// Runs the real `factory` binary in a child process, as a user would.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(projectRoot, "bin", "factory.js");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function factory(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, FACTORY_HOME: "", FACTORY_TEST_KILL_AT: "", ...options.env },
      },
      (error, stdout, stderr) => {
        const code = error
          ? typeof error.code === "number"
            ? error.code
            : error.signal
              ? 137
              : 1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Where a program is, looked up the way a shell would, without running one. */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export function findExecutable(name: string, path = process.env.PATH ?? ""): string | undefined {
  for (const folder of [...path.split(delimiter), "/usr/bin", "/bin"]) {
    if (folder === "") continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

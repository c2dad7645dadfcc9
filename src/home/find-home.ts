import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { HomeNotFoundError } from "./errors.js";
import { homeLayout } from "./layout.js";

export interface FindHomeOptions {
  /** `--home`, or `FACTORY_HOME`: used as given, never searched upwards. */
  explicit?: string | undefined;
  cwd: string;
}

/** The factory home: the explicit folder, or the nearest folder from `cwd` upwards with a factory.yaml. */
export function findHome(options: FindHomeOptions): string {
  if (options.explicit !== undefined) {
    const dir = resolve(options.cwd, options.explicit);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new HomeNotFoundError(
        `the factory home ${dir} does not exist`,
        `create it with \`factory init ${options.explicit}\``,
      );
    }
    if (!existsSync(join(dir, homeLayout.config))) {
      throw new HomeNotFoundError(
        `${dir} is not a factory home: it has no ${homeLayout.config}`,
        `make it one with \`factory init ${options.explicit}\``,
      );
    }
    return dir;
  }
  for (let dir = resolve(options.cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, homeLayout.config))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new HomeNotFoundError(`no factory home in ${resolve(options.cwd)} or any folder above it`);
}

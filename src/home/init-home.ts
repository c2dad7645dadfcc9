import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../common/index.js";
import { bootstrapAdmin } from "../governance/index.js";
import { homeLayout } from "./layout.js";
import { type Home, type OpenHomeOptions, openHome } from "./open-home.js";
import { factoryYamlTemplate } from "./template.js";

const examplesDir = fileURLToPath(new URL("../../examples/", import.meta.url));
const defaultPolicy = fileURLToPath(new URL("../../policies/default.yaml", import.meta.url));

export interface InitHomeOptions extends OpenHomeOptions {
  dir: string;
  /** The name of a folder under `examples/` holding a factory.yaml. */
  example?: string | undefined;
  /** Who lays the home out; recorded as its first principal, an admin (DESIGN §8). */
  actor: string;
}

export interface InitHomeResult {
  /** The home: `dir`, or `dir/factory` for an example. */
  root: string;
  /** The example's product repository, `dir/product`, when the example ships one. */
  product: string | undefined;
  example: string | undefined;
  /** The home, opened: the caller closes it. */
  home: Home;
}

/** The examples `factory init --example` can start from. */
export function listExampleHomes(): string[] {
  if (!existsSync(examplesDir)) return [];
  return readdirSync(examplesDir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        existsSync(join(examplesDir, entry.name, "factory", homeLayout.config)),
    )
    .map((entry) => entry.name)
    .sort();
}

/**
 * Lays out a factory home, never overwriting anything already there, and records it in the
 * audit log. An example lays out two folders in `dir`: the home (`factory/`) and its product
 * (`product/`, made a git repository), the two repositories of DESIGN §1.
 */
export async function initHome(options: InitHomeOptions): Promise<InitHomeResult> {
  const root =
    options.example === undefined ? resolve(options.dir) : resolve(options.dir, "factory");
  const product = options.example === undefined ? undefined : resolve(options.dir, "product");
  if (existsSync(join(root, homeLayout.config))) {
    throw new InputError("home-exists", `${root} is already a factory home`, {
      hint: "nothing was changed; use it as it is, or choose another folder",
    });
  }
  if (options.example !== undefined && !listExampleHomes().includes(options.example)) {
    throw new InputError("unknown-example", `there is no example home named "${options.example}"`, {
      hint: `choose one of: ${listExampleHomes().join(", ") || "(none shipped)"}`,
    });
  }
  mkdirSync(root, { recursive: true });
  if (product !== undefined && existsSync(product) && readdirSync(product).length > 0) {
    throw new InputError("init-would-overwrite", `${product} already exists and is not empty`, {
      hint: "nothing was changed; choose an empty folder for the example",
    });
  }
  if (options.example !== undefined) {
    copyWithoutOverwriting(join(examplesDir, options.example, "factory"), root);
  } else {
    writeFileSync(join(root, homeLayout.config), factoryYamlTemplate, { flag: "wx" });
  }
  for (const folder of [...homeLayout.folders, homeLayout.stateDir])
    mkdirSync(join(root, folder), { recursive: true });
  ignoreState(root);
  // The shipped policy becomes the home's own, for people to read and change.
  if (!readdirSync(join(root, "policies")).some((name) => /\.ya?ml$/.test(name)))
    cpSync(defaultPolicy, join(root, "policies", "default.yaml"));

  const productSource =
    options.example === undefined ? undefined : join(examplesDir, options.example, "product");
  if (product !== undefined && productSource !== undefined && existsSync(productSource)) {
    cpSync(productSource, product, { recursive: true });
    commitProduct(product);
  }

  const home = openHome(root, options);
  await home.audit.append(options.actor, "home.init", `home:${root}`, {
    example: options.example ?? null,
    product: product ?? null,
  });
  await bootstrapAdmin(home, options.actor);
  return { root, product, example: options.example, home };
}

/** The product starts as a repository with one commit on `main`, whatever the user's git config. */
function commitProduct(product: string): void {
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      [
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "user.name=darkfactory",
        "-c",
        "user.email=factory@localhost",
        ...args,
      ],
      {
        cwd: product,
        stdio: "ignore",
      },
    );
  git("init", "-q", "-b", "main");
  git("add", "--all");
  git("commit", "-q", "-m", "The acme example product");
}

function copyWithoutOverwriting(from: string, to: string): void {
  const clash = readdirSync(from, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(from, join(entry.parentPath, entry.name)))
    .find((rel) => existsSync(join(to, rel)));
  if (clash !== undefined) {
    throw new InputError("init-would-overwrite", `${join(to, clash)} already exists`, {
      hint: "nothing was changed; choose an empty folder for the example",
    });
  }
  cpSync(from, to, { recursive: true, force: false, errorOnExist: false });
}

function ignoreState(root: string): void {
  const file = join(root, ".gitignore");
  const line = `${homeLayout.stateDir}/`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (!current.split("\n").includes(line))
    appendFileSync(file, `${current && !current.endsWith("\n") ? "\n" : ""}${line}\n`);
}

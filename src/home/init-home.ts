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
import { homeLayout } from "./layout.js";
import { type Home, type OpenHomeOptions, openHome } from "./open-home.js";
import { factoryYamlTemplate } from "./template.js";

const examplesDir = fileURLToPath(new URL("../../examples/", import.meta.url));

export interface InitHomeOptions extends OpenHomeOptions {
  dir: string;
  /** The name of a folder under `examples/` holding a factory.yaml. */
  example?: string | undefined;
  actor: string;
}

export interface InitHomeResult {
  root: string;
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
        entry.isDirectory() && existsSync(join(examplesDir, entry.name, homeLayout.config)),
    )
    .map((entry) => entry.name)
    .sort();
}

/** Lays out a factory home, never overwriting anything already in `dir`, and records it in the audit log. */
export async function initHome(options: InitHomeOptions): Promise<InitHomeResult> {
  const root = resolve(options.dir);
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
  if (options.example !== undefined) {
    copyWithoutOverwriting(join(examplesDir, options.example), root);
  } else {
    writeFileSync(join(root, homeLayout.config), factoryYamlTemplate, { flag: "wx" });
  }
  for (const folder of [...homeLayout.folders, homeLayout.stateDir])
    mkdirSync(join(root, folder), { recursive: true });
  ignoreState(root);

  const home = openHome(root, options);
  await home.audit.append(options.actor, "home.init", `home:${root}`, {
    example: options.example ?? null,
  });
  return { root, example: options.example, home };
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

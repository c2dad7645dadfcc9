import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../common/index.js";
import { checkArchitecture } from "./check-architecture.js";

const base = mkdtempSync(join(tmpdir(), "df-architecture-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let count = 0;
function product(files: Record<string, string>): string {
  const root = join(base, `product-${++count}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function rules(text: string): string {
  const file = join(base, `architecture-${++count}.json`);
  writeFileSync(file, text);
  return file;
}

const layered = JSON.stringify({
  forbidden: [
    {
      name: "no-routes-to-db",
      comment: "routes go through services",
      severity: "error",
      from: { path: "^src/routes" },
      to: { path: "^src/db" },
    },
  ],
});

describe("checkArchitecture", () => {
  it("reports an import that crosses a forbidden layer", async () => {
    const root = product({
      "src/routes/x.js": 'import { query } from "../db/y.js";\nexport const route = query;\n',
      "src/db/y.js": "export const query = 1;\n",
    });
    expect(await checkArchitecture(root, rules(layered))).toEqual({
      present: true,
      violations: [
        { rule: "no-routes-to-db", severity: "error", from: "src/routes/x.js", to: "src/db/y.js" },
      ],
    });
  });

  it("follows TypeScript's .js import suffixes and type-only imports", async () => {
    const root = product({
      "src/routes/x.ts":
        'import type { Row } from "../db/row.js";\nexport const f = (r: Row) => r;\n',
      "src/db/row.ts": "export type Row = { id: number };\n",
    });
    const facts = await checkArchitecture(root, rules(layered));
    expect(facts.violations).toEqual([
      { rule: "no-routes-to-db", severity: "error", from: "src/routes/x.ts", to: "src/db/row.ts" },
    ]);
  });

  it("finds nothing in a product that keeps its layers", async () => {
    const root = product({
      "src/routes/x.js": 'import { find } from "../services/s.js";\nexport const route = find;\n',
      "src/services/s.js": 'import { query } from "../db/y.js";\nexport const find = query;\n',
      "src/db/y.js": "export const query = 1;\n",
    });
    expect(await checkArchitecture(root, rules(layered))).toEqual({
      present: true,
      violations: [],
    });
  });

  it("cruises the whole product when it has no src folder, but never node_modules", async () => {
    const root = product({
      "routes/x.js": 'const db = require("../db/y.js");\nmodule.exports = db;\n',
      "db/y.js": "module.exports = 1;\n",
      "node_modules/pkg/routes/z.js": 'require("../db/w.js");\n',
      "node_modules/pkg/db/w.js": "module.exports = 2;\n",
    });
    const flat = rules(
      JSON.stringify({
        forbidden: [
          {
            name: "no-routes-to-db",
            severity: "warn",
            from: { path: "routes/" },
            to: { path: "db/" },
          },
        ],
      }),
    );
    expect((await checkArchitecture(root, flat)).violations).toEqual([
      { rule: "no-routes-to-db", severity: "warn", from: "routes/x.js", to: "db/y.js" },
    ]);
  });

  it("does not run the product's code or load its configuration", async () => {
    const marker = join(base, "ran");
    const root = product({
      "src/index.js": `require("fs").writeFileSync(${JSON.stringify(marker)}, "x");\n`,
      "webpack.config.js": `require("fs").writeFileSync(${JSON.stringify(marker)}, "x");\n`,
      ".dependency-cruiser.js": `require("fs").writeFileSync(${JSON.stringify(marker)}, "x");\n`,
    });
    await checkArchitecture(root, rules(layered));
    expect(existsSync(marker)).toBe(false);
  });

  it("is absent without a rules file", async () => {
    const root = product({ "src/a.js": "export {};\n" });
    expect(await checkArchitecture(root, undefined)).toEqual({ present: false, violations: [] });
    expect(await checkArchitecture(root, join(base, "missing.json"))).toEqual({
      present: false,
      violations: [],
    });
  });

  it("refuses a rules file that is not JSON, naming it", async () => {
    const root = product({ "src/a.js": "export {};\n" });
    const file = rules('{ "forbidden": [ ');
    const error = await checkArchitecture(root, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(file);
    expect((error as InputError).message).toMatch(/not JSON/);
  });

  it("refuses a rule dependency-cruiser would not accept, and options it would load", async () => {
    const root = product({ "src/a.js": "export {};\n" });
    const noFrom = rules(JSON.stringify({ forbidden: [{ name: "x", to: { path: "db" } }] }));
    await expect(checkArchitecture(root, noFrom)).rejects.toThrow(
      new RegExp(`${noFrom}.*must have required property 'from'`),
    );
    const unsafe = rules(
      JSON.stringify({ forbidden: [{ name: "x", from: { path: "(a+)+$" }, to: {} }] }),
    );
    await expect(checkArchitecture(root, unsafe)).rejects.toThrow(/unsafe regular expression/);
    const withOptions = rules(
      JSON.stringify({
        forbidden: [],
        options: { webpackConfig: { fileName: "webpack.config.js" } },
      }),
    );
    await expect(checkArchitecture(root, withOptions)).rejects.toThrow(/"options"/);
    await expect(checkArchitecture(root, rules("[]"))).rejects.toBeInstanceOf(InputError);
  });
});

// The CLI as a user meets it: the real `factory` binary in a child process, its exit codes,
// its stderr messages and the `--json` promise that stdout is exactly one JSON document.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, projectRoot, factory as runFactory } from "./support/factory-cli.js";

const root = projectRoot;
const examples = join(root, "examples");
type Run = CliRun;
const factory = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runFactory(args, { cwd: options.cwd ?? work, ...(options.env ? { env: options.env } : {}) });

/** Stdout must parse as one JSON document, whatever the command and however it ended. */
function json(run: Run): Record<string, unknown> {
  expect(() => JSON.parse(run.stdout), `stdout was: ${run.stdout}`).not.toThrow();
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "df-cli-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("factory init", () => {
  it("lays out a home, and refuses to lay one over it", async () => {
    const first = await factory(["init", "home1", "--json"]);
    expect(first.code).toBe(0);
    expect(json(first)).toMatchObject({ ok: true, home: join(work, "home1"), example: null });
    const config = readFileSync(join(work, "home1", "factory.yaml"), "utf8");
    for (const folder of ["intents", "scenarios", "policies", "pipelines", "twins", ".factory"]) {
      expect(() => readFileSync(join(work, "home1", folder))).toThrow(/EISDIR/);
    }
    expect(readFileSync(join(work, "home1", ".gitignore"), "utf8")).toContain(".factory/");

    const second = await factory(["init", "home1"]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("already a factory home");
    expect(readFileSync(join(work, "home1", "factory.yaml"), "utf8")).toBe(config);
  });

  it("starts from the acme example, and names the examples when asked for one that does not exist", async () => {
    const run = await factory(["init", "acme", "--example", "acme"]);
    expect(run.code).toBe(0);
    // The example lays out the home and its product, a git repository with one commit whose
    // own tests pass (Stripe and Slack stubbed at the HTTP level).
    const productTests = execFileSync("npm", ["test"], {
      cwd: join(work, "acme", "product"),
      encoding: "utf8",
    });
    expect(productTests).toMatch(/# pass 4\n# fail 0/);
    expect(
      execFileSync("git", ["log", "--format=%s"], {
        cwd: join(work, "acme", "product"),
        encoding: "utf8",
      }),
    ).toBe("The acme example product\n");
    expect(readFileSync(join(work, "acme", "factory", "intents", "refunds.md"), "utf8")).toContain(
      "id: refunds\n",
    );
    const unknown = await factory(["init", "other", "--example", "nope", "--json"]);
    expect(unknown.code).toBe(2);
    expect(json(unknown)).toMatchObject({
      ok: false,
      error: { code: "unknown-example", hint: expect.stringContaining("acme") },
    });
  });
});

describe("factory intent lint", () => {
  it("passes the clean example with exit 0", async () => {
    const run = await factory([
      "intent",
      "lint",
      join(examples, "acme", "factory", "intents", "refunds.md"),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("0 errors, 0 warnings");
  });

  it("prints warnings with file, line and rule, exit 0, or 2 with --strict", async () => {
    const file = join(examples, "intents", "vague-refunds.md");
    const run = await factory(["intent", "lint", file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/vague-refunds\.md:\d+:\d+ warning vague-word: /);
    expect((await factory(["intent", "lint", "--strict", file])).code).toBe(2);
  });

  it("exits 2 on errors and reports each as JSON", async () => {
    const run = await factory([
      "intent",
      "lint",
      join(examples, "intents", "broken-refunds.md"),
      "--json",
    ]);
    expect(run.code).toBe(2);
    const doc = json(run);
    expect(doc.ok).toBe(false);
    expect(doc.errors).toBeGreaterThan(0);
    const rules = (doc.files as { diagnostics: { rule: string }[] }[])[0]?.diagnostics.map(
      (d) => d.rule,
    );
    expect(rules).toEqual(
      expect.arrayContaining(["duplicate-id", "requirement-without-acceptance", "risk-range"]),
    );
  });

  it("refuses a file that does not exist with exit 2 and no stack trace", async () => {
    const run = await factory(["intent", "lint", "missing.md"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing.md");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("records the lint in the home's audit log when run inside a home", async () => {
    const home = join(work, "lint-home");
    expect((await factory(["init", home, "--example", "acme"])).code).toBe(0);
    const run = await factory(["intent", "lint", "intents"], { cwd: join(home, "factory") });
    expect(run.code).toBe(0);
    const verify = json(
      await factory(["audit", "verify", "--json"], { cwd: join(home, "factory", "intents") }),
    );
    // home.init, the first admin's principal.add, and the one intent's intent.lint.
    expect(verify).toMatchObject({ ok: true, count: 3 });
  });
});

describe("factory audit", () => {
  let home: string;
  beforeAll(async () => {
    home = join(work, "audit-home");
    await factory(["init", home]);
    await factory(["intent", "lint", "--home", home, join(examples, "acme", "factory", "intents")]);
  });

  it("verifies an intact log, from --home and from FACTORY_HOME", async () => {
    const run = await factory(["audit", "verify", "--home", home]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/intact: 3 entries, head 3:[0-9a-f]{64}/);
    expect((await factory(["audit", "verify"], { env: { FACTORY_HOME: home } })).code).toBe(0);
  });

  it("exports, and verifies the export with no home and with its anchored head", async () => {
    const exported = json(
      await factory(["audit", "export", "--home", home, "--out", "audit.jsonl", "--json"]),
    );
    expect(exported).toMatchObject({ ok: true, count: 4 });
    const entries = readFileSync(join(work, "audit.jsonl"), "utf8")
      .trim()
      .split("\n")
      .slice(0, -1)
      .map((l) => (JSON.parse(l) as { action: string }).action);
    // init records the home and its first admin; the export records itself before it reads.
    expect(entries).toEqual(["home.init", "principal.add", "intent.lint", "audit.export"]);
    const head = exported.head as { seq: number; hash: string };
    const anchored = await factory([
      "audit",
      "verify",
      "--file",
      "audit.jsonl",
      "--head",
      `${head.seq}:${head.hash}`,
      "--json",
    ]);
    expect(anchored.code).toBe(0);
    expect(json(anchored)).toMatchObject({ ok: true, count: 4, anchored: true });
    const again = await factory(["audit", "export", "--home", home, "--out", "audit.jsonl"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--force");
  });

  it("streams the export to stdout as JSON Lines", async () => {
    const run = await factory(["audit", "export", "--home", home]);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ head: { count: lines.length - 1 } });
  });

  it("exits 1 naming the first bad entry when the log was edited", async () => {
    const copy = join(work, "tampered-home");
    await factory(["init", copy]);
    await factory(["intent", "lint", "--home", copy, join(examples, "acme", "factory", "intents")]);
    const db = new Database(join(copy, ".factory", "state.db"));
    db.exec("DROP TRIGGER audit_entries_no_update");
    db.prepare("UPDATE audit_entries SET actor = 'user:mallory' WHERE seq = 1").run();
    db.close();
    const run = await factory(["audit", "verify", "--home", copy]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("broken at entry 1");
    expect(json(await factory(["audit", "verify", "--home", copy, "--json"]))).toMatchObject({
      ok: false,
      break: { seq: 1, fault: "hash" },
    });
  });

  it("exits 2 on a malformed --head", async () => {
    const run = await factory(["audit", "verify", "--home", home, "--head", "abc", "--json"]);
    expect(run.code).toBe(2);
    expect(json(run)).toMatchObject({ ok: false, error: { code: "bad-head" } });
  });
});

describe("the CLI's conventions", () => {
  it("prints the version", async () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      version: string;
    };
    const run = await factory(["--version"]);
    expect([run.code, run.stdout.trim()]).toEqual([0, version]);
  });

  it("exits 2 with a hint to run init when there is no home, and shows the stack only with --debug", async () => {
    const empty = join(work, "empty");
    mkdirSync(empty);
    const run = await factory(["audit", "verify"], { cwd: empty });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("factory init");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const debug = await factory(["audit", "verify", "--debug"], { cwd: empty });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it("exits 2 on a factory.yaml with errors, listing them with their lines", async () => {
    const bad = join(work, "bad-home");
    mkdirSync(bad);
    writeFileSync(join(bad, "factory.yaml"), "version: 1\nproduct:\n  repo: x\n  brnach: main\n");
    const run = await factory(["audit", "verify", "--home", bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('factory.yaml:4:3 error schema: unknown field "brnach"');
    const asJson = json(await factory(["audit", "verify", "--home", bad, "--json"]));
    expect(asJson).toMatchObject({
      ok: false,
      error: { code: "config-invalid", diagnostics: [{ line: 4 }] },
    });
  });

  it("exits 2 on unknown commands and options, and keeps stdout one JSON document under --json", async () => {
    const unknown = await factory(["frobnicate", "--json"]);
    expect(unknown.code).toBe(2);
    expect(json(unknown)).toMatchObject({ ok: false, error: { code: "usage" } });
    const badOption = await factory(["audit", "verify", "--nope"]);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("--nope");
  });

  it("doctor reports the sandbox mode in force (bwrap, which CI installs)", async () => {
    const run = await factory(["doctor", "--json"]);
    expect(run.code, run.stdout).toBe(0);
    const checks = (json(run).checks as { name: string; ok: boolean; detail: string }[]).map(
      (c) => [c.name, c.ok],
    );
    expect(checks).toEqual([
      ["node", true],
      ["sqlite", true],
      ["git", true],
      ["sandbox", true],
      ["home", true],
    ]);
    expect(run.stdout).toContain("bwrap");
  });
});

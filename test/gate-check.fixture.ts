// The parts `factory gate check`'s end-to-end tests share: the npm registry twin with one more
// package, changes planted on branches of the acme product, and the gate run as a user runs it.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { type ServedTwin, serveTwins } from "../src/twins/index.js";
import { type CliRun, factory } from "./support/factory-cli.js";

const DAY = 86_400_000;

/** An old, popular-enough package whose name imitates nothing, with only a postinstall script. */
export const SCRIPTED_PACKAGE = "acme-native-bindings";

/**
 * The npm registry twin on 127.0.0.1, its clock at the real now (the gate measures ages from
 * the real clock). Its fixtures have no package whose only fault is an install script, so one
 * is added through the twin's own admin API (snapshot, edit, restore).
 */
export async function serveRegistry(): Promise<ServedTwin> {
  const [twin] = (await serveTwins(["npm-registry"], { clockStart: Date.now() })) as [ServedTwin];
  const snapshot = (await (
    await fetch(`${twin.url}/__twin/snapshot`, { method: "POST" })
  ).json()) as { state: { packages: Record<string, unknown> } };
  const publishedAt = Date.now() - 500 * DAY;
  snapshot.state.packages[SCRIPTED_PACKAGE] = {
    name: SCRIPTED_PACKAGE,
    description: "Native bindings, built at install time",
    distTags: { latest: "2.3.0" },
    versions: [
      {
        version: "2.3.0",
        publishedAt,
        description: "Native bindings, built at install time",
        license: "MIT",
        dependencies: {},
        scripts: { postinstall: "node build.js" },
        index: "module.exports = {};\n",
      },
    ],
    weeklyDownloads: 250_000,
    maintainers: [{ name: "acme", email: "acme@users.example" }],
    keywords: [],
    rev: "2-0123456789abcdef",
  };
  const restored = await fetch(`${twin.url}/__twin/restore`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(snapshot),
  });
  if (!restored.ok) throw new Error(`the twin refused the snapshot: ${await restored.text()}`);
  return twin;
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function git(repo: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.name=gate test", "-c", "user.email=gate@example.invalid", ...args],
    { cwd: repo, encoding: "utf8" },
  );
}

/**
 * Plants a change in the product: a branch from main with `files` written (a function gets
 * the file's text on main; `null` deletes), committed. The repository is left on main.
 */
export function plantChange(
  repo: string,
  branch: string,
  files: Record<string, string | null | ((before: string) => string)>,
): void {
  git(repo, "checkout", "-q", "-b", branch, "main");
  try {
    for (const [path, content] of Object.entries(files)) {
      const full = join(repo, path);
      if (content === null) {
        rmSync(full);
        continue;
      }
      const text =
        typeof content === "function" ? content(git(repo, "show", `main:${path}`)) : content;
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
    git(repo, "add", "--all");
    git(repo, "commit", "-q", "-m", `plant: ${branch}`);
  } finally {
    git(repo, "checkout", "-q", "main");
  }
}

/** Replaces `from` by `to` in a text, failing loudly when `from` is not there. */
export function edit(from: string, to: string): (before: string) => string {
  return (before) => {
    if (!before.includes(from)) throw new Error(`the file does not contain ${from}`);
    return before.replace(from, to);
  };
}

/** package.json on main with these dependencies added. */
export function withDependencies(dependencies: Record<string, string>) {
  return (before: string): string => {
    const manifest = JSON.parse(before) as Record<string, unknown>;
    return `${JSON.stringify({ ...manifest, dependencies }, null, 2)}\n`;
  };
}

export interface RuleOutcome {
  id: string;
  decision: string;
  fired: boolean;
  message: string;
  evidence: string[];
}

export interface GateJson {
  decision: "allow" | "deny" | "require_approval";
  rules: RuleOutcome[];
  policies: string[];
  problems: string[];
  facts: {
    change: { files: unknown[]; protected: string[] };
    risk: { level: string; measured: string; reasons: string[] };
  };
}

export interface GateRun extends CliRun {
  /** The `--json` document, when stdout held one. */
  json: GateJson | undefined;
  /** The ids of the rules that fired. */
  fired: string[];
  rule(id: string): RuleOutcome | undefined;
}

/** `factory gate check <args> --json` as a user runs it. */
export async function gateCheck(args: string[], cwd: string): Promise<GateRun> {
  const run = await factory(["gate", "check", ...args, "--json"], { cwd });
  let json: GateJson | undefined;
  try {
    const parsed = JSON.parse(run.stdout) as GateJson;
    if (Array.isArray(parsed.rules)) json = parsed;
  } catch {
    json = undefined;
  }
  const rules = json?.rules ?? [];
  return {
    ...run,
    json,
    fired: rules.filter((r) => r.fired).map((r) => r.id),
    rule: (id) => rules.find((r) => r.id === id),
  };
}

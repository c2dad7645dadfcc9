import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import type { Command } from "commander";
import { findHome, openHome } from "../../home/index.js";
import { detectSandbox } from "../../workspace/index.js";
import type { CliContext, CommandOutcome } from "../context.js";
import type { Register } from "../register.js";

export const registerDoctor: Register = (program, run) => {
  program
    .command("doctor")
    .description(
      "check this machine and the factory home: node, SQLite, git, the sandbox mode in force",
    )
    .action((_options: unknown, command: Command) => run(command, (context) => doctor(context)));
};

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

async function doctor(context: CliContext): Promise<CommandOutcome> {
  const checks: Check[] = [];
  const [major] = process.versions.node.split(".").map(Number);
  checks.push({ name: "node", ok: (major ?? 0) >= 20, detail: process.version });
  const db = new Database(":memory:");
  checks.push({
    name: "sqlite",
    ok: true,
    detail: String(db.prepare("select sqlite_version() as v").pluck().get()),
  });
  db.close();
  checks.push(probe("git", ["--version"]));
  const sandbox = await detectSandbox(
    context.env.FACTORY_BWRAP ? { bwrapPath: context.env.FACTORY_BWRAP } : {},
  );
  // The fallback works, but it is weaker: it is reported, and fails the check, so nobody misses it.
  checks.push({
    name: "sandbox",
    ok: sandbox.mode === "bwrap",
    detail: `${sandbox.mode}: ${sandbox.reason}`,
  });
  try {
    const root = findHome({ explicit: context.homeOption, cwd: context.cwd });
    const home = openHome(root, { env: context.env });
    const problems = home.warnings.map((w) => w.message);
    checks.push({
      name: "home",
      ok: true,
      detail: `${root} (schema ${await home.store.schemaVersion()})${problems.length ? `; ${problems.join("; ")}` : ""}`,
    });
    await home.close();
  } catch (error) {
    checks.push({
      name: "home",
      ok: context.homeOption === undefined,
      detail: (error as Error).message,
    });
  }
  const ok = checks.every((c) => c.ok);
  return {
    exitCode: ok ? 0 : 1,
    json: { ok, checks },
    text: checks.map((c) => `${c.ok ? "✓" : "✗"} ${c.name.padEnd(8)} ${c.detail}`).join("\n"),
  };
}

function probe(name: string, args: string[]): Check {
  try {
    return { name, ok: true, detail: execFileSync(name, args, { encoding: "utf8" }).trim() };
  } catch (error) {
    return { name, ok: false, detail: `not usable: ${(error as Error).message.split("\n")[0]}` };
  }
}

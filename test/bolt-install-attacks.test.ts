// A builder that attacks the factory from inside real bolts through what the orchestrator does
// afterwards with the worktree on the host: the test stage's install, as root, outside the
// sandbox, over an .npmrc and a node_modules the builder wrote. The program must not run and
// no folder outside the worktree may be emptied; the audit chain stays intact. The two bolts
// run side by side, each in a home of its own.
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_GID, SANDBOX_UID } from "../src/workspace/sandbox/sandbox-user.js";
import { oneTask, secrets } from "./bolt-attacks-support.js";
import {
  acmeHome,
  type BoltHome,
  type BoltRun,
  expectVerified,
  git,
  readAudit,
  runRefunds,
  verifyAudit,
  writeScripts,
} from "./fixtures/bolt/bolt-home.js";
import type { CliRun } from "./support/factory-cli.js";

interface InstallBolt {
  fx: BoltHome;
  bolt: BoltRun;
  verify: CliRun;
}

/**
 * The test stage installs the product's dependencies on the integration branch with
 * `npm ci --ignore-scripts`, as root on the host, outside the sandbox. npm reads the
 * project's .npmrc, which the builder wrote: `git=` names the program npm runs to fetch a
 * git dependency, and --ignore-scripts does not cover it.
 */
async function npmGitBolt(): Promise<InstallBolt & { marker: string }> {
  const fx = await acmeHome("df-bolt-npmrc-");
  // In a folder anyone may write to, so the program leaves its mark whichever user runs it.
  const marks = join(fx.work, "marks");
  mkdirSync(marks);
  chmodSync(marks, 0o777);
  const marker = join(marks, "npm-git-ran");
  const dependency = "git+ssh://git@example.invalid/acme/dep.git";
  const packageJson = JSON.parse(readFileSync(join(fx.product, "package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(join(fx.product, "package-lock.json"), "utf8"));
  packageJson.dependencies = { dep: dependency };
  lock.packages[""].dependencies = { dep: dependency };
  lock.packages["node_modules/dep"] = {
    version: "1.0.0",
    resolved: `${dependency}#${"0".repeat(40)}`,
  };
  // As root on the host it can read every process's environment, the factory's too.
  const program = `#!/bin/sh\n{ id -u; cat /proc/[0-9]*/environ | tr '\\0' '\\n' | grep -a -m 1 BOLT_HELPER_CANARY; } > ${marker}\nexit 1\n`;
  writeScripts(fx.home, oneTask("deps"), {
    version: 1,
    tasks: {
      deps: {
        actions: [
          { write: { path: ".npmrc", content: "git=./tools/git.sh\n" } },
          { write: { path: "tools/git.sh", content: program } },
          { run: { command: "chmod +x tools/git.sh" } },
          { write: { path: "package.json", content: JSON.stringify(packageJson, null, 2) } },
          { write: { path: "package-lock.json", content: JSON.stringify(lock, null, 2) } },
          { finish: { summary: "dep, from git" } },
        ],
      },
    },
  });
  const bolt = await runRefunds(fx.home, secrets);
  return { fx, bolt, verify: await verifyAudit(fx.home), marker };
}

/**
 * `npm ci` starts by emptying node_modules, and follows a symlink to do it. The product's
 * .gitignore has `node_modules/`, which matches folders only, so the orchestrator commits a
 * node_modules symlink the builder made, and the test stage's install, as root on the host,
 * empties whatever folder it points at.
 */
async function nodeModulesBolt(): Promise<InstallBolt & { victim: string }> {
  const fx = await acmeHome("df-bolt-node-modules-");
  // Owned by the sandbox user, as every worktree's files are: an install dropped to that user
  // could still empty it. No command in the sandbox can reach it.
  const victim = join(fx.work, "victim");
  mkdirSync(victim);
  writeFileSync(join(victim, "precious.txt"), "keep me\n");
  if (process.getuid?.() === 0) {
    chownSync(victim, SANDBOX_UID, SANDBOX_GID);
    chownSync(join(victim, "precious.txt"), SANDBOX_UID, SANDBOX_GID);
  }
  writeScripts(fx.home, oneTask("link"), {
    version: 1,
    tasks: {
      link: {
        actions: [
          { run: { command: `rm -rf node_modules && ln -s ${victim} node_modules` } },
          { write: { path: "NOTES.md", content: "Linked.\n" } },
          { finish: { summary: "node_modules" } },
        ],
      },
    },
  });
  const bolt = await runRefunds(fx.home, secrets);
  return { fx, bolt, verify: await verifyAudit(fx.home), victim };
}

describe("a builder attacking the factory from inside a bolt", () => {
  let npmGit: Awaited<ReturnType<typeof npmGitBolt>>;
  let nodeModules: Awaited<ReturnType<typeof nodeModulesBolt>>;

  beforeAll(async () => {
    [npmGit, nodeModules] = await Promise.all([npmGitBolt(), nodeModulesBolt()]);
  }, 120_000);
  afterAll(() => {
    for (const bolt of [npmGit, nodeModules]) bolt?.fx.cleanup();
  });

  describe("through the factory's own install step, over what the builder wrote", () => {
    it("runs no program the builder named in .npmrc", async () => {
      const { bolt, fx, marker, verify } = npmGit;
      expect(bolt.run.stderr).not.toContain("⚠ sandbox");
      // The control: the test stage installed on an integration branch holding all of it.
      expect(bolt.completed).toContain("test");
      const integration = `factory/${bolt.bolt}/integration`;
      expect(git(fx.product, "show", `${integration}:.npmrc`)).toBe("git=./tools/git.sh\n");
      expect(git(fx.product, "ls-tree", integration, "tools/git.sh")).toMatch(/^100755 blob /);
      expect(git(fx.product, "show", `${integration}:package-lock.json`)).toContain(
        "git+ssh://git@example.invalid/acme/dep.git#",
      );
      const ran = existsSync(marker) ? readFileSync(marker, "utf8") : "";
      expect(ran, `tools/git.sh ran on the host; it wrote: ${ran}`).toBe("");
      // The factory refused the lock file's git dependency before running any install.
      const refusals = (await readAudit(fx.home)).filter(
        (e) => e.action === "test.install_refused",
      );
      expect(refusals.length).toBeGreaterThan(0);
      expect(JSON.stringify(refusals[0]?.data)).toContain("git+ssh://git@example.invalid");
      expectVerified(verify, (await readAudit(fx.home)).length);
    });

    it("empties no folder outside the worktree through a node_modules symlink", async () => {
      const { bolt, fx, victim, verify } = nodeModules;
      expect(bolt.run.stderr).not.toContain("⚠ sandbox");
      // The control: the test stage installed on an integration branch holding the symlink.
      expect(bolt.completed).toContain("test");
      expect(
        git(fx.product, "ls-tree", `factory/${bolt.bolt}/integration`, "node_modules"),
      ).toMatch(/^120000 blob /);
      expect(readdirSync(victim)).toEqual(["precious.txt"]);
      expectVerified(verify, (await readAudit(fx.home)).length);
    });
  });
});

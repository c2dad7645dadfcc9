// A builder that attacks the factory from inside a real bolt: `factory run` through the CLI,
// the builder a script whose task tries every way out of its worktree, through the file tools
// and through `run` in the bwrap sandbox (`attack-bolt.ts`). Each attempt must fail, leave its
// audit entry (the tool and reason of a refusal; the command, exit code and output of a run)
// and change nothing on the host; the bolt then makes a legitimate change and releases it.
// What the orchestrator does afterwards with the worktree on the host (install) is tried in
// `bolt-install-attacks.test.ts`; the bolts of the two files run side by side, each in a home
// of its own.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../src/store/index.js";
import { type AttackBolt, attackBolt } from "./attack-bolt.js";
import { type RunData, secretsIn } from "./bolt-attacks-support.js";
import { expectVerified, git, readAudit } from "./fixtures/bolt/bolt-home.js";

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

describe("a builder attacking the factory from inside a bolt", () => {
  let server: Server;
  const requests: string[] = [];
  let attack: AttackBolt;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? "");
      response.end("reached");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    // The control: the server answers whoever can reach it.
    expect(await (await fetch(`http://127.0.0.1:${port}/control`)).text()).toBe("reached");
    attack = await attackBolt(port);
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    attack?.fx.cleanup();
  });

  describe("through its tools and its sandboxed commands", () => {
    it("releases the legitimate change, on the bwrap sandbox", () => {
      const { bolt, fx } = attack;
      expect(bolt.run.code, bolt.run.stderr).toBe(0);
      expect(bolt.run.stderr).not.toContain("⚠ sandbox");
      expect(bolt.completed).toEqual([
        "start",
        "intake",
        "plan",
        "build",
        "test",
        "scenarios",
        "evaluate",
        "gates",
        "release",
        "exit",
      ]);
      expect(git(fx.product, "show", "main:README.md")).toContain(
        "Built by a builder that tried to get out.",
      );
      expect(git(fx.product, "show", "main:docs/after.md")).toBe("After harden.\n");
    });

    it("audits each attack: a refusal with its reason, or a run with its exit code and output", async () => {
      const { bolt, fx, steps } = attack;
      const entries = (await readAudit(fx.home)).filter(
        (e) => e.actor === "agent:builder" && (e.data as { task?: string }).task === "harden",
      );
      expect(entries).toHaveLength(steps.length);
      for (const [i, step] of steps.entries()) {
        const entry = entries[i] as AuditEntry;
        expect(entry.subject).toBe(`bolt:${bolt.bolt}/build`);
        expect(entry.data).toMatchObject({ task: "harden", attempt: 1 });
        step.check(entry);
      }
    });

    it("changes nothing outside the worktree", () => {
      const { bolt, fx, tmpName } = attack;
      const { home, product } = fx;
      const worktree = join(home, ".factory", "worktrees", bolt.bolt, "tasks", "harden");
      for (const path of [
        join(worktree, "..", "..", "escape.txt"),
        join(worktree, "..", "..", "escape-run.txt"),
        join(home, "escape.txt"),
        join(home, "escape-run.txt"),
        join(product, "escape-run.txt"),
        join(product, ".git", "hooks", "post-commit"),
        `/tmp/${tmpName}`,
        `/usr/${tmpName}`,
      ])
        expect(existsSync(path), path).toBe(false);
      expect(readFileSync(join(home, "factory.yaml"), "utf8")).toBe(attack.factoryYaml);
      expect(readFileSync(join(product, ".git", "config"), "utf8")).toBe(attack.productConfig);
      expect(readFileSync(join(worktree, ".git"), "utf8")).toBe(
        `gitdir: ${realpathSync(product)}/.git/worktrees/harden\n`,
      );
    });

    it("never reaches the server on the host's loopback", () => {
      expect(requests).toEqual(["/control"]);
    });

    it("runs none of the planted hooks, though the product's config names their folder", () => {
      const { bolt, fx, markers } = attack;
      expect(readdirSync(markers)).toEqual([]);
      // They were released as written, executable...
      expect(git(fx.product, "ls-tree", "main", ".githooks/post-commit")).toMatch(/^100755 blob /);
      // ...and live: git, run as usual in the worktree, runs one.
      const worktree = join(fx.home, ".factory", "worktrees", bolt.bolt, "tasks", "harden");
      execFileSync("git", ["-C", worktree, "hook", "run", "post-commit"], { stdio: "pipe" });
      expect(readdirSync(markers)).toEqual(["post-commit"]);
      expect(readFileSync(join(markers, "post-commit"), "utf8")).toBe(`${process.getuid?.()}\n`);
    });

    it("leaks no secret of the factory's environment anywhere", async () => {
      const { bolt, fx } = attack;
      const entries = await readAudit(fx.home);
      expect(secretsIn(JSON.stringify(entries))).toEqual([]);
      // A secret that reached an output would be there, masked.
      const outputs = entries
        .filter((e) => e.action === "agent.run")
        .map((e) => (e.data as RunData).output);
      expect(outputs.filter((output) => output.includes("[REDACTED"))).toEqual([]);
      // Every file of the home: its database, the runs' reports, the worktrees.
      const leaking = filesUnder(fx.home).filter(
        (file) => secretsIn(readFileSync(file)).length > 0,
      );
      expect(leaking).toEqual([]);
      // What the builder's commands saw, as released: the sandbox's variables, none of the factory's.
      const dumps = `${git(fx.product, "show", "main:env-dump.txt")}${git(fx.product, "show", "main:environ-dump.txt")}`;
      expect(dumps).toContain("PATH=");
      expect(secretsIn(dumps)).toEqual([]);
      expect(secretsIn(git(fx.product, "log", "--all", "-p"))).toEqual([]);
      expect(secretsIn(bolt.run.stdout + bolt.run.stderr)).toEqual([]);
    });

    it("keeps the audit chain intact", async () => {
      expectVerified(attack.verify, (await readAudit(attack.fx.home)).length);
    });
  });
});

/**
 * Each attack an agent's command might try, run through the bwrap sandbox and judged by its
 * effect on the host. Where the fixture alone might be what stops an attack, a control runs
 * the same attack without namespaces (the process sandbox) and shows that it works there.
 */
import { randomUUID } from "node:crypto";
import { chownSync, existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBwrapSandbox } from "./bwrap-sandbox.js";
import { detectSandbox } from "./detect-sandbox.js";
import { findExecutable } from "./find-executable.js";
import { createProcessSandbox } from "./process-sandbox.js";
import { createSandboxFixture, type SandboxFixture } from "./sandbox.fixture.js";
import type { SandboxRun } from "./sandbox.js";
import { SANDBOX_GID, SANDBOX_UID } from "./sandbox-user.js";

describe("bwrap sandbox attacks", () => {
  const sandbox = createBwrapSandbox();
  const unconfined = createProcessSandbox();
  let fx: SandboxFixture;
  const run = (command: string, extra: Partial<SandboxRun> = {}) =>
    sandbox.run({ command, worktree: fx.worktree, timeoutMs: 10_000, ...extra });
  const control = (command: string) =>
    unconfined.run({ command, worktree: fx.worktree, timeoutMs: 10_000 });

  beforeAll(async () => {
    const detection = await detectSandbox();
    // Not a skip: CI installs bubblewrap, and a sandbox that silently fell back is the bug.
    if (detection.mode !== "bwrap") throw new Error(`bwrap is unusable: ${detection.reason}`);
    fx = await createSandboxFixture();
    process.env.DF_SANDBOX_SECRET = fx.secretText;
  });
  afterAll(async () => {
    delete process.env.DF_SANDBOX_SECRET;
    await fx?.cleanup();
  });

  it("cannot read the factory home: relative, absolute, or through a symlink", async () => {
    expect((await control(`cat ${fx.secretPath}`)).stdout).toContain(fx.secretText);
    for (const command of [
      "cat ../home/secret.txt",
      `cat ${fx.secretPath}`,
      `ln -s ${fx.secretPath} leak && cat leak`,
      `cat ${fx.home}/*`,
    ]) {
      const result = await run(command);
      expect(result.exitCode, command).not.toBe(0);
      expect(result.stdout + result.stderr, command).not.toContain(fx.secretText);
    }
  });

  it("cannot see the product's git directory or /root", async () => {
    expect((await control(`cat ${fx.repo}/.git/HEAD`)).stdout).toContain("refs/heads/");
    for (const command of [`cat ${fx.repo}/.git/HEAD`, `ls ${fx.repo}`, "ls /root"]) {
      const result = await run(command);
      expect(result.exitCode, command).not.toBe(0);
      expect(result.stdout, command).toBe("");
    }
  });

  it("cannot write outside the worktree, and nothing appears on the host", async () => {
    const name = `df-sandbox-${randomUUID()}`;
    expect((await control(`echo x > ${fx.home}/${name}-control`)).exitCode).toBe(0);
    for (const path of [`/usr/${name}`, `/etc/${name}`, `${fx.home}/${name}`, `/${name}`]) {
      const result = await run(`echo pwned > ${path}`);
      expect(result.exitCode, path).not.toBe(0);
      expect(existsSync(path), path).toBe(false);
    }
  });

  it("cannot remount anything writable or make a user namespace of its own", async () => {
    const name = `df-sandbox-${randomUUID()}`;
    const attempts = [
      "mount -o remount,rw /",
      "mount -o remount,rw /usr",
      "mount -t tmpfs none /usr",
      "unshare -rm sh -c 'mount -o remount,rw /usr'",
    ];
    for (const command of attempts) {
      const result = await run(`${command} && touch /usr/${name}`);
      expect(result.exitCode, command).not.toBe(0);
      expect(existsSync(`/usr/${name}`), command).toBe(false);
    }
    const nested = await run("unshare -r id -u");
    expect(nested.exitCode).not.toBe(0);
    expect(nested.stdout).toBe("");
  });

  it("cannot see host processes or read their environment", async () => {
    const hostCmdline = readFileSync(`/proc/${process.pid}/cmdline`, "utf8").replaceAll("\0", " ");
    // /proc/<pid>/environ shows the environment the test process started with.
    const allowed = /^(PATH|HOME|LANG|LC_ALL|TZ|TERM|PWD|SHLVL)=/;
    const hostEntries = readFileSync(`/proc/${process.pid}/environ`, "utf8")
      .split("\0")
      .filter((entry) => entry.length > 8 && !allowed.test(entry));
    expect(hostEntries.length).toBeGreaterThan(0);
    const environ = await run(`cat /proc/${process.pid}/environ; cat /proc/1/environ`);
    expect(hostEntries.filter((entry) => environ.stdout.includes(entry))).toEqual([]);
    const listing = await run(
      "for p in /proc/[0-9]*; do echo \"$p $(tr '\\0' ' ' < $p/cmdline)\"; done",
    );
    expect(listing.exitCode).toBe(0);
    const pids = listing.stdout.trim().split("\n");
    expect(pids.length).toBeLessThan(10);
    expect(listing.stdout).not.toContain(hostCmdline.trim());
  });

  describe("network", () => {
    let server: Server;
    let requests = 0;
    beforeAll(async () => {
      server = createServer((_request, response) => {
        requests++;
        response.end("reached");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const fetchCommand = (url: string) =>
      findExecutable("curl")
        ? `curl -sS -m 3 ${url}`
        : `node -e 'fetch("${url}").then(r => r.text()).then(console.log, () => process.exit(7))'`;

    it("cannot reach a server on the host's loopback", async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      expect((await control(fetchCommand(url))).stdout).toContain("reached");
      expect(requests).toBe(1);
      const result = await run(fetchCommand(url));
      expect(result.exitCode).not.toBe(0);
      expect(result.stdout).not.toContain("reached");
      expect(requests).toBe(1);
    });
  });

  it("does not pass the factory's environment", async () => {
    const result = await run("env; cat /proc/self/environ");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain(fx.secretText);
    expect(result.stdout).not.toContain("DF_SANDBOX_SECRET");
  });

  it("cannot rewrite, replace or unmount the worktree's .git link", async () => {
    const link = `${fx.worktree}/.git`;
    const before = readFileSync(link, "utf8");
    expect(before).toMatch(/^gitdir: /);
    // The sandbox user may write the file itself: only the read-only bind is left to stop it.
    if (process.getuid?.() === 0) chownSync(link, SANDBOX_UID, SANDBOX_GID);
    expect((await control(": >> .git")).exitCode).toBe(0);
    for (const command of [
      "echo 'gitdir: /tmp/evil' > .git",
      "printf x >> .git",
      "rm -f .git",
      "mv .git moved && echo 'gitdir: /tmp/evil' > .git",
      "chmod 666 .git",
      "umount .git && echo 'gitdir: /tmp/evil' > .git",
    ]) {
      const result = await run(command);
      expect(result.exitCode, command).not.toBe(0);
      expect(readFileSync(link, "utf8"), command).toBe(before);
    }
    expect(existsSync(`${fx.worktree}/moved`)).toBe(false);
  });
});

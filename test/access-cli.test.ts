// `factory principal` and `factory token` as a user runs them: who a command acts as
// (FACTORY_TOKEN, else the OS user), denials with exit 1, and tokens stored only hashed.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { factory } from "./support/factory-cli.js";

let work: string;
let home: string;
const me = `user:${userInfo().username}`;
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => factory(args, { cwd: home, env });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "df-access-cli-"));
  home = join(work, "home");
  const init = await factory(["init", home], { cwd: work });
  expect(init.code, init.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("factory principal and token", () => {
  it("makes whoever ran init the first admin", async () => {
    const list = await run(["principal", "list", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    const doc = JSON.parse(list.stdout);
    expect(doc.you).toBe(me);
    expect(doc.principals).toEqual([
      expect.objectContaining({ name: me, roles: ["admin", "author", "approver"] }),
    ]);
  }, 60_000);

  it("acts as a token's principal, refuses what its roles do not allow, and audits it", async () => {
    expect((await run(["principal", "add", "bob", "--role", "viewer"])).code).toBe(0);
    const made = await run(["token", "create", "user:bob", "--json"]);
    expect(made.code, made.stderr).toBe(0);
    const { token, id } = JSON.parse(made.stdout) as { token: string; id: string };
    expect(token).toMatch(/^dft_[A-Za-z0-9_-]{43}$/);

    const asBob = { FACTORY_TOKEN: token };
    expect(JSON.parse((await run(["principal", "list", "--json"], asBob)).stdout).you).toBe(
      "user:bob",
    );
    const denied = await run(["principal", "add", "eve", "--role", "admin"], asBob);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("user:bob may not principal.manage");
    expect(denied.stderr).toContain("hint:");
    const cancel = await run(["cancel", "b-none"], asBob);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toContain("user:bob may not bolt.cancel");

    const log = await run(["audit", "export"]);
    expect(log.stdout).toContain('"action":"access.denied"');
    // The token's text is nowhere in the store or the log; only its hash is kept.
    expect(log.stdout).not.toContain(token);
    expect(readFileSync(join(home, ".factory", "state.db")).includes(token)).toBe(false);

    expect((await run(["token", "revoke", id])).code).toBe(0);
    const revoked = await run(["principal", "list"], asBob);
    expect(revoked.code).toBe(2);
    expect(revoked.stderr).toContain(`FACTORY_TOKEN is token ${id}, which was revoked`);
  }, 240_000);

  it("refuses an unknown token rather than falling back to the OS user", async () => {
    const unknown = await run(["principal", "list"], { FACTORY_TOKEN: "dft_not-a-real-token" });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("FACTORY_TOKEN is not a token of this home");
  }, 60_000);

  it("refuses a role that does not exist, and removing the last admin", async () => {
    const bad = await run(["principal", "add", "carol", "--role", "superuser"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown role superuser");
    const last = await run(["principal", "update", me, "--role", "viewer"]);
    expect(last.code).toBe(2);
    expect(last.stderr).toContain("last enabled admin");
  }, 120_000);
});

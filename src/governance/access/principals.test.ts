import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accessTestHome } from "./access-test-home.fixture.js";
import { principalName } from "./principal-name.js";
import { addPrincipal, bootstrapAdmin, createToken, revokeToken } from "./principals.js";
import { resolvePrincipal } from "./resolve-principal.js";
import { hashToken } from "./tokens.js";

let home: ReturnType<typeof accessTestHome>;
beforeEach(() => {
  home = accessTestHome();
});
afterEach(() => home.cleanup());

const resolve = (env: NodeJS.ProcessEnv, osUsers: Record<string, string> = {}) =>
  resolvePrincipal(home, { env, osUser: "alice", osUsers });

describe("principals and tokens", () => {
  it("bootstraps one admin on an empty home and never again", async () => {
    expect(await bootstrapAdmin(home, "user:alice")).toMatchObject({
      roles: ["admin", "author", "approver"],
    });
    expect(await bootstrapAdmin(home, "user:mallory")).toBeUndefined();
    expect((await home.store.listPrincipals()).map((p) => p.name)).toEqual(["user:alice"]);
  });

  it("makes the first principal of an open home an admin, or refuses it", async () => {
    await expect(
      addPrincipal(home, "user:x", { name: "bob", roles: ["viewer"] }),
    ).rejects.toMatchObject({ code: "first-principal-not-admin" });
    expect(await addPrincipal(home, "user:x", { name: "x", roles: ["admin"] })).toMatchObject({
      name: "user:x",
      kind: "person",
    });
    expect(
      await addPrincipal(home, "user:x", { name: "builder", roles: ["agent"], agent: true }),
    ).toMatchObject({ name: "agent:builder", kind: "agent" });
  });

  it("resolves the OS user, mapped by factory.yaml or not", async () => {
    expect(await resolve({})).toBe("user:alice");
    expect(await resolve({}, { alice: "user:alice.smith" })).toBe("user:alice.smith");
  });

  it("resolves a token to its principal, stores only its hash, and refuses it once revoked", async () => {
    await bootstrapAdmin(home, "user:alice");
    await addPrincipal(home, "user:alice", { name: "bob", roles: ["approver"] });
    const { token, text } = await createToken(home, "user:alice", "user:bob");
    expect(token.hash).toBe(hashToken(text));
    expect(JSON.stringify(await home.store.readAudit())).not.toContain(text);
    expect(await resolve({ FACTORY_TOKEN: text }, { alice: "user:alice" })).toBe("user:bob");
    await revokeToken(home, "user:bob", token.id); // its own
    await expect(resolve({ FACTORY_TOKEN: text })).rejects.toMatchObject({
      code: "token-invalid",
      exitCode: 2,
    });
    await expect(resolve({ FACTORY_TOKEN: `${text}x` })).rejects.toThrow(
      /not a token of this home/,
    );
  });

  it("lets an approver make a token for itself but not for another", async () => {
    await bootstrapAdmin(home, "user:alice");
    await addPrincipal(home, "user:alice", { name: "bob", roles: ["approver"] });
    await expect(createToken(home, "user:bob", "user:bob")).resolves.toBeDefined();
    await expect(createToken(home, "user:bob", "user:alice")).rejects.toMatchObject({
      code: "access-denied",
    });
  });

  it("names principals as user: or agent:, and refuses anything else", () => {
    expect(principalName("alice")).toBe("user:alice");
    expect(principalName("builder", "agent")).toBe("agent:builder");
    expect(() => principalName("root:alice")).toThrow(/not a principal name/);
    expect(() => principalName("user:alice", "agent")).toThrow(/cannot be an agent/);
    expect(() => principalName("user:")).toThrow(/not a principal name/);
  });
});

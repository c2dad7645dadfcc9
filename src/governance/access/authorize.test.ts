import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AccessDeniedError } from "./access-denied-error.js";
import { accessTestHome } from "./access-test-home.fixture.js";
import { type AccessAction, accessActions, accessRoles } from "./actions.js";
import { authorize } from "./authorize.js";

// The matrix as DESIGN §8 and the issue state it, written out here independently of
// actions.ts, so a change to the table there has to be made twice to pass.
const expected: Record<string, readonly AccessAction[]> = {
  admin: accessActions,
  author: [
    "bolt.run",
    "bolt.resume",
    "bolt.cancel",
    "gate.check",
    "scenarios.run",
    "audit.verify",
    "read",
  ],
  approver: ["bolt.approve", "bolt.reject", "gate.check", "audit.verify", "read"],
  viewer: ["read", "audit.verify"],
  agent: [],
};

const pairs = accessRoles.flatMap((role) =>
  accessActions.map((action) => ({
    role,
    action,
    allowed: expected[role]?.includes(action) ?? false,
  })),
);

let home: ReturnType<typeof accessTestHome>;
beforeEach(async () => {
  home = accessTestHome();
  for (const role of accessRoles)
    await home.store.addPrincipal({
      name: role === "agent" ? "agent:a" : `user:${role}`,
      kind: role === "agent" ? "agent" : "person",
      roles: [role],
    });
});
afterEach(() => home.cleanup());

describe("the role-by-action matrix", () => {
  it("covers every role and every action", () => {
    expect(pairs).toHaveLength(5 * 14);
    expect(new Set(accessRoles)).toEqual(new Set(Object.keys(expected)));
  });

  it.each(pairs)("$role → $action: allowed $allowed", async ({ role, action, allowed }) => {
    const name = role === "agent" ? "agent:a" : `user:${role}`;
    const attempt = authorize(home, name, action, "bolt:b1");
    if (allowed) {
      await expect(attempt).resolves.toMatchObject({ name });
      expect(await home.store.readAudit()).toEqual([]);
    } else {
      await expect(attempt).rejects.toBeInstanceOf(AccessDeniedError);
      const [entry] = await home.store.readAudit();
      expect(entry).toMatchObject({
        actor: name,
        action: "access.denied",
        subject: "bolt:b1",
        data: { action, reason: "role", roles: [role] },
      });
    }
  });
});

describe("authorize", () => {
  it("denies an unknown principal, names it, exits 1, and audits the denial", async () => {
    const error = await authorize(home, "user:mallory", "bolt.run", "intent:x").catch((e) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({ code: "access-denied", exitCode: 1 });
    expect(error.message).toContain("user:mallory is not a principal");
    expect((await home.store.readAudit()).map((e) => [e.actor, e.action, e.data])).toEqual([
      ["user:mallory", "access.denied", { action: "bolt.run", reason: "unknown-principal" }],
    ]);
  });

  it("denies a disabled principal even an admin, and allows it again once enabled", async () => {
    await home.store.updatePrincipal("user:admin", { disabled: true });
    await expect(authorize(home, "user:admin", "read", "bolt:b1")).rejects.toMatchObject({
      code: "access-denied",
      message: expect.stringContaining("disabled"),
    });
    expect((await home.store.readAudit())[0]?.data).toMatchObject({ reason: "disabled" });
    await home.store.updatePrincipal("user:admin", { disabled: false });
    await expect(authorize(home, "user:admin", "read", "bolt:b1")).resolves.toBeDefined();
  });

  it("says which roles may take the action, and how to get one", async () => {
    const error = await authorize(home, "user:viewer", "bolt.approve", "bolt:b1").catch((e) => e);
    expect(error.message).toBe(
      "user:viewer may not bolt.approve: that needs the role admin or approver, and it holds viewer",
    );
    expect(error.hint).toContain("factory principal update user:viewer --role approver");
  });

  it("lets anyone act on a home with no principals at all, and no one unknown once it has one", async () => {
    const open = accessTestHome();
    try {
      await expect(authorize(open, "user:anyone", "bolt.run", "x")).resolves.toBeUndefined();
      await open.store.addPrincipal({ name: "user:root", kind: "person", roles: ["admin"] });
      await expect(authorize(open, "user:anyone", "bolt.run", "x")).rejects.toBeInstanceOf(
        AccessDeniedError,
      );
    } finally {
      await open.cleanup();
    }
  });
});

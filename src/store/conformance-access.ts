/**
 * The access part of the Store conformance suite: principals, tokens and approval votes.
 * Called from `describeStoreConformance`, inside its fresh-store-per-test lifecycle.
 */
import { describe, expect, it } from "vitest";
import { testSeal } from "./conformance.js";
import type { Store } from "./contract.js";

export function describeAccessConformance(store: () => Store, advance: (ms: number) => void): void {
  describe("principals", () => {
    it("adds, reads, lists by name, and refuses a name taken", async () => {
      const bob = await store().addPrincipal({
        name: "user:bob",
        kind: "person",
        roles: ["approver"],
      });
      expect(bob).toMatchObject({ name: "user:bob", roles: ["approver"], disabled: false });
      await store().addPrincipal({ name: "agent:builder", kind: "agent", roles: ["agent"] });
      expect((await store().listPrincipals()).map((p) => p.name)).toEqual([
        "agent:builder",
        "user:bob",
      ]);
      expect(await store().getPrincipal("user:bob")).toEqual(bob);
      expect(await store().getPrincipal("user:nobody")).toBeUndefined();
      await expect(
        store().addPrincipal({ name: "user:bob", kind: "person", roles: ["admin"] }),
      ).rejects.toMatchObject({ code: "principal-exists", exitCode: 2 });
      expect((await store().getPrincipal("user:bob"))?.roles).toEqual(["approver"]);
    });

    it("changes roles and disables, and refuses an unknown principal", async () => {
      await store().addPrincipal({ name: "user:bob", kind: "person", roles: ["viewer"] });
      const changed = await store().updatePrincipal("user:bob", { roles: ["author", "approver"] });
      expect(changed).toMatchObject({ roles: ["author", "approver"], disabled: false });
      const disabled = await store().updatePrincipal("user:bob", { disabled: true });
      expect(disabled).toMatchObject({ roles: ["author", "approver"], disabled: true });
      await expect(store().updatePrincipal("user:ghost", { disabled: true })).rejects.toMatchObject(
        { code: "principal-not-found" },
      );
    });
  });

  describe("tokens", () => {
    it("finds a token by its hash, revokes it once, and lists by principal", async () => {
      await store().addPrincipal({ name: "user:bob", kind: "person", roles: ["viewer"] });
      await store().addPrincipal({ name: "user:eve", kind: "person", roles: ["viewer"] });
      const token = await store().addToken({
        id: "t1",
        principal: "user:bob",
        hash: "a".repeat(64),
      });
      await store().addToken({ id: "t2", principal: "user:eve", hash: "b".repeat(64) });
      expect(token.revokedAt).toBeUndefined();
      expect(await store().findTokenByHash("a".repeat(64))).toEqual(token);
      expect(await store().findTokenByHash("c".repeat(64))).toBeUndefined();
      advance(7);
      const revoked = await store().revokeToken("t1");
      expect(revoked.revokedAt).toBeGreaterThan(token.createdAt);
      advance(7);
      expect((await store().revokeToken("t1")).revokedAt).toBe(revoked.revokedAt);
      expect((await store().listTokens({ principal: "user:eve" })).map((t) => t.id)).toEqual([
        "t2",
      ]);
      expect((await store().listTokens()).map((t) => t.id)).toEqual(["t1", "t2"]);
      await expect(store().revokeToken("t9")).rejects.toMatchObject({ code: "token-not-found" });
    });

    it("refuses a token for a principal that does not exist", async () => {
      await expect(
        store().addToken({ id: "t1", principal: "user:ghost", hash: "a".repeat(64) }),
      ).rejects.toMatchObject({ code: "principal-not-found" });
      expect(await store().listTokens()).toEqual([]);
    });
  });

  describe("approval votes", () => {
    it("records votes in order with their audit entries, one per principal and visit", async () => {
      await store().createBolt({ id: "b1", intentId: "i", pipeline: "p", createdBy: "user:alice" });
      expect((await store().getBolt("b1"))?.createdBy).toBe("user:alice");
      const vote = { boltId: "b1", nodeId: "gate", visit: 1, commit: "c1" };
      const audit = {
        drafts: [
          {
            ts: "2026-11-25T10:00:00.000Z",
            actor: "user:bob",
            action: "gate.approval",
            subject: "bolt:b1",
            data: {},
          },
        ],
        seal: testSeal,
      };
      await store().addApprovalVote({ ...vote, principal: "user:bob", decision: "approve" }, audit);
      advance(1);
      await store().addApprovalVote({ ...vote, principal: "user:carol", decision: "reject" });
      await store().addApprovalVote({
        ...vote,
        visit: 2,
        principal: "user:bob",
        decision: "approve",
      });
      await expect(
        store().addApprovalVote({ ...vote, principal: "user:bob", decision: "reject" }),
      ).rejects.toMatchObject({ code: "already-voted", exitCode: 2 });
      const votes = await store().listApprovalVotes("b1", "gate", 1);
      expect(votes.map((v) => `${v.principal}:${v.decision}:${v.commit}`)).toEqual([
        "user:bob:approve:c1",
        "user:carol:reject:c1",
      ]);
      expect((await store().readAudit()).map((e) => e.action)).toEqual(["gate.approval"]);
      expect(await store().listApprovalVotes("b1", "other", 1)).toEqual([]);
    });
  });
}

/**
 * The Store contract's conformance suite. Every implementation runs through it
 * (`describeStoreConformance("sqlite", open)`), so behaviour the core relies on is pinned
 * once, not per adapter.
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeAccessConformance } from "./conformance-access.js";
import type { AuditDraft, AuditSeal, Store } from "./contract.js";
import { BoltNotFoundError, LeaseLostError, StoreError } from "./errors.js";

export interface ConformanceClock {
  now: () => number;
}

/** Opens a fresh, empty store that reads time from `clock`. */
export type OpenStore = (
  clock: ConformanceClock,
) => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/** A stand-in seal: the real one lives in governance; the store only promises to chain what it is given. */
export const testSeal: AuditSeal = (draft, previous) => {
  const seq = previous.seq + 1;
  const hash = createHash("sha256")
    .update(`${previous.hash}|${seq}|${JSON.stringify(draft)}`)
    .digest("hex");
  return { ...draft, seq, prev: previous.hash, hash };
};

const draft = (action: string, data: unknown = {}): AuditDraft => ({
  ts: "2026-11-25T10:00:00.000Z",
  actor: "user:test",
  action,
  subject: "bolt:b1",
  data,
});

export function describeStoreConformance(name: string, open: OpenStore): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let time = 1_000_000;
    const clock = { now: () => time };

    beforeEach(async () => {
      time = 1_000_000;
      ({ store, cleanup } = await open(clock));
    });
    afterEach(async () => {
      await cleanup();
    });

    it("is migrated to a positive schema version", async () => {
      expect(await store.schemaVersion()).toBeGreaterThan(0);
    });

    describe("bolts", () => {
      it("keeps the context a bolt starts with, and an empty one when none is given", async () => {
        const seed = { "factory.intent.file": "intents/refunds.md", n: 2 };
        await store.createBolt({ id: "s1", intentId: "refunds", pipeline: "bolt", seed });
        await store.createBolt({ id: "s2", intentId: "refunds", pipeline: "bolt" });
        expect((await store.getBolt("s1"))?.seed).toEqual(seed);
        expect((await store.getBolt("s2"))?.seed).toEqual({});
      });

      it("creates, reads, lists newest first and changes status", async () => {
        const first = await store.createBolt({
          id: "b1",
          intentId: "refunds",
          pipeline: "default",
        });
        expect(first).toMatchObject({
          id: "b1",
          status: "pending",
          createdAt: time,
          updatedAt: time,
        });
        time += 10;
        await store.createBolt({ id: "b2", intentId: "refunds", pipeline: "default" });
        time += 10;
        const running = await store.setBoltStatus("b1", "running");
        expect(running).toMatchObject({
          status: "running",
          updatedAt: time,
          createdAt: first.createdAt,
        });
        expect((await store.listBolts()).map((b) => b.id)).toEqual(["b2", "b1"]);
        expect((await store.listBolts({ status: "running" })).map((b) => b.id)).toEqual(["b1"]);
        expect(await store.listBolts({ limit: 1 })).toHaveLength(1);
        expect(await store.getBolt("missing")).toBeUndefined();
      });

      it("refuses a duplicate id and a status change of an unknown bolt, keeping what is stored", async () => {
        await store.createBolt({ id: "b1", intentId: "refunds", pipeline: "default" });
        await expect(
          store.createBolt({ id: "b1", intentId: "other", pipeline: "x" }),
        ).rejects.toThrow(StoreError);
        expect((await store.getBolt("b1"))?.intentId).toBe("refunds");
        await expect(store.setBoltStatus("nope", "failed")).rejects.toThrow(BoltNotFoundError);
      });
    });

    describe("leases", () => {
      beforeEach(async () => {
        await store.createBolt({ id: "b1", intentId: "refunds", pipeline: "default" });
      });

      it("grants a free lease and refuses a second owner while it is live", async () => {
        const first = await store.acquireLease("b1", "worker-a", 1_000);
        expect(first).toEqual({
          acquired: true,
          lease: {
            boltId: "b1",
            owner: "worker-a",
            token: 1,
            acquiredAt: time,
            expiresAt: time + 1_000,
          },
        });
        time += 999;
        const second = await store.acquireLease("b1", "worker-b", 1_000);
        expect(second).toMatchObject({ acquired: false, holder: { owner: "worker-a", token: 1 } });
      });

      it("renews for the same owner without changing the token", async () => {
        await store.acquireLease("b1", "worker-a", 1_000);
        time += 500;
        const again = await store.acquireLease("b1", "worker-a", 1_000);
        expect(again).toMatchObject({
          acquired: true,
          lease: { token: 1, expiresAt: time + 1_000 },
        });
        if (!again.acquired) return;
        time += 900;
        const renewed = await store.renewLease(again.lease, 2_000);
        expect(renewed.expiresAt).toBe(time + 2_000);
        expect((await store.getLease("b1"))?.expiresAt).toBe(time + 2_000);
      });

      it("lets another owner take an expired lease, with a larger token, and the old owner loses it", async () => {
        const first = await store.acquireLease("b1", "worker-a", 1_000);
        time += 1_000;
        const taken = await store.acquireLease("b1", "worker-b", 1_000);
        expect(taken).toMatchObject({ acquired: true, lease: { owner: "worker-b", token: 2 } });
        if (!first.acquired) throw new Error("unreachable");
        await expect(store.renewLease(first.lease, 1_000)).rejects.toThrow(LeaseLostError);
        expect(await store.releaseLease(first.lease)).toBe(false);
        expect((await store.getLease("b1"))?.owner).toBe("worker-b");
      });

      it("refuses to renew an expired lease even when nobody took it", async () => {
        const first = await store.acquireLease("b1", "worker-a", 1_000);
        if (!first.acquired) throw new Error("unreachable");
        time += 1_001;
        await expect(store.renewLease(first.lease, 1_000)).rejects.toThrow(LeaseLostError);
      });

      it("frees a released lease at once and still grows the token", async () => {
        const first = await store.acquireLease("b1", "worker-a", 60_000);
        if (!first.acquired) throw new Error("unreachable");
        expect(await store.releaseLease(first.lease)).toBe(true);
        const next = await store.acquireLease("b1", "worker-b", 1_000);
        expect(next).toMatchObject({ acquired: true, lease: { owner: "worker-b", token: 2 } });
      });

      it("refuses a lease on a bolt that does not exist", async () => {
        await expect(store.acquireLease("ghost", "worker-a", 1_000)).rejects.toThrow(
          BoltNotFoundError,
        );
        expect(await store.getLease("ghost")).toBeUndefined();
      });

      it("gives a contested lease to exactly one of many concurrent callers", async () => {
        const attempts = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.acquireLease("b1", `worker-${i}`, 1_000)),
        );
        expect(attempts.filter((a) => a.acquired)).toHaveLength(1);
      });
    });

    describe("engine progress", () => {
      const lease = async (owner = "engine-a") => {
        const attempt = await store.acquireLease("b1", owner, 1_000);
        if (!attempt.acquired) throw new Error("lease not acquired");
        return attempt.lease;
      };
      beforeEach(async () => {
        await store.createBolt({
          id: "b1",
          intentId: "refunds",
          pipeline: "p.dot",
          source: "digraph p {}",
        });
      });

      it("keeps the pipeline source with the bolt", async () => {
        expect((await store.getBolt("b1"))?.source).toBe("digraph p {}");
      });

      it("records journal, checkpoint, status and audit in one step, fenced by the lease", async () => {
        const held = await lease();
        const written = await store.recordProgress("b1", {
          lease: held,
          journal: [
            { kind: "node.start", nodeId: "plan", data: { attempt: 1 } },
            { kind: "node.outcome", nodeId: "plan", data: { status: "success" } },
          ],
          checkpoint: { next: "build", context: { a: 1 } },
          status: "running",
          audit: { drafts: [draft("node.outcome")], seal: testSeal },
        });
        expect(written.map((e) => [e.seq, e.kind])).toEqual([
          [1, "node.start"],
          [2, "node.outcome"],
        ]);
        await store.recordProgress("b1", {
          lease: held,
          journal: [{ kind: "route", data: { to: "build" } }],
        });
        const journal = await store.readJournal("b1");
        expect(journal.map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(journal[0]).toMatchObject({
          boltId: "b1",
          nodeId: "plan",
          data: { attempt: 1 },
          ts: time,
        });
        expect(journal[2]?.nodeId).toBeUndefined();
        expect(await store.readJournal("b1", { afterSeq: 2 })).toHaveLength(1);
        expect(await store.getCheckpoint("b1")).toEqual({ next: "build", context: { a: 1 } });
        expect((await store.getBolt("b1"))?.status).toBe("running");
        expect((await store.readAudit()).map((e) => e.action)).toEqual(["node.outcome"]);
      });

      it("keeps a cancelled bolt cancelled whatever status a later step records", async () => {
        const held = await lease();
        await store.setBoltStatus("b1", "cancelled");
        await store.recordProgress("b1", {
          lease: held,
          journal: [{ kind: "bolt.end", data: {} }],
          status: "succeeded",
        });
        expect((await store.getBolt("b1"))?.status).toBe("cancelled");
      });

      it("refuses progress from a lease that expired or changed hands, writing nothing", async () => {
        const old = await lease("engine-a");
        time += 1_000;
        await expect(
          store.recordProgress("b1", { lease: old, journal: [{ kind: "x", data: {} }] }),
        ).rejects.toThrow(LeaseLostError);
        await lease("engine-b");
        await expect(
          store.recordProgress("b1", {
            lease: old,
            journal: [{ kind: "x", data: {} }],
            audit: { drafts: [draft("x")], seal: testSeal },
          }),
        ).rejects.toThrow(LeaseLostError);
        expect(await store.readJournal("b1")).toEqual([]);
        expect(await store.readAudit()).toEqual([]);
        expect(await store.getCheckpoint("b1")).toBeUndefined();
      });

      it("takes a live lease over only from the exact holder named", async () => {
        const held = await lease("engine-a");
        const wrong = await store.acquireLease("b1", "engine-b", 1_000, {
          takeOverFrom: { owner: "engine-a", token: 99 },
        });
        expect(wrong.acquired).toBe(false);
        const taken = await store.acquireLease("b1", "engine-b", 1_000, { takeOverFrom: held });
        expect(taken).toMatchObject({ acquired: true, lease: { owner: "engine-b", token: 2 } });
      });

      it("asks once per visit, answers the pending question, and lists by status", async () => {
        const first = await store.requestApproval({
          boltId: "b1",
          nodeId: "gate",
          visit: 1,
          question: { text: "ship?" },
        });
        const again = await store.requestApproval({
          boltId: "b1",
          nodeId: "gate",
          visit: 1,
          question: { text: "other" },
        });
        expect(again).toEqual(first);
        expect(first).toMatchObject({ status: "pending", question: { text: "ship?" } });
        expect((await store.listApprovals({ status: "pending" })).map((a) => a.nodeId)).toEqual([
          "gate",
        ]);
        await expect(store.answerApproval("b1", "gate", {}, "user:early")).rejects.toMatchObject({
          code: "no-pending-approval",
          exitCode: 2,
        });
        await store.setBoltStatus("b1", "waiting");
        time += 5;
        const answered = await store.answerApproval(
          "b1",
          "gate",
          { label: "Approve" },
          "user:alice",
          {
            drafts: [draft("approval.approve")],
            seal: testSeal,
          },
        );
        expect((await store.readAudit()).map((e) => e.action)).toEqual(["approval.approve"]);
        expect(answered).toMatchObject({
          status: "answered",
          answer: { label: "Approve" },
          answeredBy: "user:alice",
          answeredAt: time,
        });
        expect(await store.getApproval("b1", "gate", 1)).toEqual(answered);
        expect(await store.listApprovals({ status: "pending" })).toEqual([]);
        await expect(store.answerApproval("b1", "gate", {}, "user:bob")).rejects.toMatchObject({
          code: "no-pending-approval",
        });
      });
    });

    describeAccessConformance(
      () => store,
      (ms) => {
        time += ms;
      },
    );

    describe("audit", () => {
      it("appends in order, chaining each entry to the one before, and records the head", async () => {
        expect(await store.auditHead()).toBeUndefined();
        const first = await store.appendAudit([draft("a"), draft("b")], testSeal);
        const second = await store.appendAudit(
          [draft("c", { nested: { list: [1, "two", null] }, text: "ünïcødé ✓" })],
          testSeal,
        );
        expect([...first, ...second].map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(first[0]?.prev).toBe("0".repeat(64));
        expect(first[1]?.prev).toBe(first[0]?.hash);
        expect(second[0]?.prev).toBe(first[1]?.hash);
        expect(await store.auditHead()).toEqual({ seq: 3, hash: second[0]?.hash });
        const read = await store.readAudit();
        expect(read).toEqual([...first, ...second]);
      });

      it("reads in pages", async () => {
        await store.appendAudit(
          Array.from({ length: 25 }, (_, i) => draft(`e${i}`)),
          testSeal,
        );
        const page = await store.readAudit({ afterSeq: 10, limit: 5 });
        expect(page.map((e) => e.seq)).toEqual([11, 12, 13, 14, 15]);
        expect(await store.readAudit({ afterSeq: 25 })).toEqual([]);
      });

      it("appends nothing when sealing fails part-way", async () => {
        await store.appendAudit([draft("kept")], testSeal);
        let calls = 0;
        const failing: AuditSeal = (d, p) => {
          if (++calls === 2) throw new Error("seal failed");
          return testSeal(d, p);
        };
        await expect(store.appendAudit([draft("x"), draft("y")], failing)).rejects.toThrow(
          "seal failed",
        );
        expect((await store.readAudit()).map((e) => e.action)).toEqual(["kept"]);
        expect((await store.auditHead())?.seq).toBe(1);
      });

      it("keeps the chain whole under concurrent appends", async () => {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.appendAudit([draft(`c${i}`)], testSeal)),
        );
        const entries = await store.readAudit();
        expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        entries.forEach((entry, i) => {
          if (i > 0) expect(entry.prev).toBe(entries[i - 1]?.hash);
        });
      });
    });
  });
}

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeStoreConformance, testSeal } from "../conformance.js";
import type { LeaseAttempt } from "../contract.js";
import { StoreError } from "../errors.js";
import { createSqliteStore } from "./sqlite-store.js";

const run = promisify(execFile);
const contender = fileURLToPath(new URL("./lease-contender.fixture.ts", import.meta.url));

describeStoreConformance("sqlite", async (clock) => {
  const dir = mkdtempSync(join(tmpdir(), "df-store-"));
  const store = createSqliteStore({ path: join(dir, ".factory", "state.db"), now: clock.now });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe("SQLite store", () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "df-sqlite-"));
    path = join(dir, "state.db");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("uses WAL mode and records each migration once across reopenings", async () => {
    await createSqliteStore({ path }).close();
    await createSqliteStore({ path }).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({ n: 4 });
    expect(db.pragma("user_version", { simple: true })).toBe(4);
    db.close();
  });

  it("refuses a state.db from a newer darkfactory and leaves it untouched", async () => {
    const store = createSqliteStore({ path });
    await store.createBolt({ id: "keep", intentId: "i", pipeline: "p" });
    await store.close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 0)").run();
    db.close();
    let error: unknown;
    try {
      createSqliteStore({ path });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe("store-too-new");
    const check = new Database(path, { readonly: true });
    expect(check.prepare("SELECT id FROM bolts").all()).toEqual([{ id: "keep" }]);
    check.close();
  });

  it("refuses updates and deletes of audit entries through SQL", async () => {
    const store = createSqliteStore({ path });
    await store.appendAudit(
      [{ ts: "t", actor: "a", action: "x", subject: "s", data: {} }],
      testSeal,
    );
    await store.close();
    const db = new Database(path);
    expect(() => db.prepare("UPDATE audit_entries SET actor = 'mallory'").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare("DELETE FROM audit_entries").run()).toThrow(/append-only/);
    db.close();
  });

  it("reports a file that is not a database as a store error", () => {
    const notDb = join(dir, "garbage.db");
    writeFileSync(notDb, "this is not sqlite at all, just text ".repeat(200));
    expect(() => createSqliteStore({ path: notDb })).toThrow(StoreError);
  });

  describe("two processes racing for one bolt's lease", () => {
    const race = async (owners: string[], ttlMs: number): Promise<Map<string, LeaseAttempt>> => {
      const startAt = Date.now() + 1_500;
      const results = await Promise.all(
        owners.map((owner) =>
          run(process.execPath, [
            "--import",
            "tsx",
            contender,
            path,
            "b1",
            owner,
            String(ttlMs),
            String(startAt),
          ]),
        ),
      );
      return new Map(
        owners.map((owner, i) => [owner, JSON.parse(results[i]?.stdout ?? "") as LeaseAttempt]),
      );
    };

    beforeEach(async () => {
      const store = createSqliteStore({ path });
      await store.createBolt({ id: "b1", intentId: "i", pipeline: "p" });
      await store.close();
    });

    it("lets exactly one process win", async () => {
      const results = await race(["proc-a", "proc-b", "proc-c"], 60_000);
      const winners = [...results].filter(([, attempt]) => attempt.acquired);
      expect(winners).toHaveLength(1);
      const winner = winners[0]?.[0];
      for (const [owner, attempt] of results) {
        if (owner !== winner)
          expect(attempt).toMatchObject({ acquired: false, holder: { owner: winner, token: 1 } });
      }
    });

    it("lets another process take over once the lease has expired", async () => {
      const first = await race(["proc-a"], 300);
      expect(first.get("proc-a")?.acquired).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const second = await race(["proc-b"], 60_000);
      expect(second.get("proc-b")).toMatchObject({
        acquired: true,
        lease: { owner: "proc-b", token: 2 },
      });
    });
  });
});

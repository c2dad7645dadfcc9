import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteStore, type Store } from "../../store/index.js";
import { createRedactor } from "../redact.js";
import {
  loadOrCreateSigningKey,
  parseVerifyingKey,
  type SigningKey,
  type VerifyingKey,
} from "../signing/signing-key.js";
import { createAuditLog } from "./audit-log.js";
import { checkpointPayload } from "./checkpoint.js";
import { auditExportLines, verifyAuditExport } from "./export.js";
import { hashAuditEntry } from "./seal.js";
import { verifyAuditLog } from "./verify-audit-log.js";

interface Row {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  subject: string;
  data: string;
  prev: string;
  hash: string;
}

let dir: string;
let dbPath: string;
/** Kept outside the home: the forger can read and write the home, not this. */
let key: SigningKey;
let pub: VerifyingKey;
let signerCalls: number;

const openLog = (store: Store, every = 3) =>
  createAuditLog({
    store,
    redactor: createRedactor(),
    checkpoint: {
      signer: () => {
        signerCalls++;
        return key;
      },
      every,
    },
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "df-checkpoint-"));
  dbPath = join(dir, "home", "state.db");
  key = loadOrCreateSigningKey(join(dir, "offline", "audit.pem"), { create: true });
  pub = parseVerifyingKey(key.publicKeyPem);
  signerCalls = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = createSqliteStore({ path: dbPath });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Seven events one by one, every 3: checkpoints land at 4 (over 3), 7 (over 6) and 10 (over 9). */
async function sevenEvents(): Promise<void> {
  await withStore(async (store) => {
    const audit = openLog(store);
    for (let i = 1; i <= 7; i++)
      await audit.append("user:alice", "test.event", `thing:${i}`, { n: i });
  });
}

const verify = (keys?: VerifyingKey[]) =>
  withStore((store) => verifyAuditLog(store, keys ? { keys } : {}));

/**
 * What someone with write access to the home can do: edit, then recompute every hash. With
 * `fixCheckpoints` they also point each checkpoint at the new hashes, re-signing with `resign`.
 */
function rewrite(
  edit: (db: Database.Database) => void,
  options: { fixCheckpoints?: boolean; resign?: SigningKey } = {},
): void {
  const db = new Database(dbPath);
  db.exec(
    "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;",
  );
  db.transaction(() => {
    edit(db);
    const rows = db.prepare("SELECT * FROM audit_entries ORDER BY seq").all() as Row[];
    let prev = { seq: 0, hash: "0".repeat(64) };
    for (const row of rows) {
      let data = JSON.parse(row.data);
      if (row.action === "audit.checkpoint" && options.fixCheckpoints) {
        data = { ...data, seq: prev.seq, hash: prev.hash };
        if (options.resign) {
          data.key_id = options.resign.keyId;
          data.signature = options.resign.sign(checkpointPayload(prev));
        }
      }
      const hash = hashAuditEntry({ ...row, data, prev: prev.hash });
      db.prepare("UPDATE audit_entries SET data = ?, prev = ?, hash = ? WHERE seq = ?").run(
        JSON.stringify(data),
        prev.hash,
        hash,
        row.seq,
      );
      prev = { seq: row.seq, hash };
    }
    db.prepare("UPDATE audit_head SET seq = ?, hash = ?").run(prev.seq, prev.hash);
  })();
  db.close();
}

describe("signed checkpoints in the audit log", () => {
  it("appends one after each multiple of `every`, signing the entry before it", async () => {
    await sevenEvents();
    const entries = await withStore((store) => store.readAudit());
    const checkpoints = entries.filter((e) => e.action === "audit.checkpoint");
    expect(checkpoints.map((e) => [e.seq, e.subject, e.actor])).toEqual([
      [4, "audit:3", "system"],
      [7, "audit:6", "system"],
      [10, "audit:9", "system"],
    ]);
    expect(checkpoints[0]?.data).toMatchObject({
      seq: 3,
      hash: entries[2]?.hash,
      key_id: key.keyId,
    });
    expect(await verify([pub])).toMatchObject({
      ok: true,
      count: 10,
      checkpoints: { count: 3, verified: 3, key_id: key.keyId, signed_through: 9 },
    });
  });

  it("reports checkpoints unverified when no key is at hand", async () => {
    await sevenEvents();
    expect(await verify()).toMatchObject({
      ok: true,
      checkpoints: { count: 3, verified: 0, key_id: null, signed_through: 0 },
    });
  });

  it("checkpoints a batch that crosses a multiple, and on request unless the head is one", async () => {
    await withStore(async (store) => {
      const audit = openLog(store, 100);
      const batch = await audit.appendMany(
        Array.from({ length: 5 }, (_, i) => ({ actor: "system", action: "x", subject: `s:${i}` })),
      );
      // The caller gets its own entries back; none of them crossed 100.
      expect(batch.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(signerCalls).toBe(0);
      expect(await audit.checkpoint()).toMatchObject({ seq: 6, subject: "audit:5" });
      expect(await audit.checkpoint()).toBeUndefined();
      const small = openLog(store, 4);
      await small.appendMany([
        { actor: "system", action: "x", subject: "a" },
        { actor: "system", action: "x", subject: "b" },
      ]);
      expect((await store.auditHead())?.seq).toBe(9);
      expect((await store.readAudit({ afterSeq: 8 }))[0]).toMatchObject({
        action: "audit.checkpoint",
        subject: "audit:8",
      });
    });
  });

  it("has no checkpoints, and never asks for a key, without a signer", async () => {
    await withStore(async (store) => {
      const audit = createAuditLog({ store, redactor: createRedactor() });
      for (let i = 0; i < 5; i++) await audit.append("system", "x", "s");
      expect(await audit.checkpoint()).toBeUndefined();
      expect((await store.readAudit()).some((e) => e.action === "audit.checkpoint")).toBe(false);
    });
  });
});

describe("checkpoints against a forger who rewrites the chain", () => {
  beforeEach(sevenEvents);
  const editEntry5 = (db: Database.Database) =>
    db.prepare("UPDATE audit_entries SET data = ? WHERE seq = 5").run('{"n":500}');

  it("a rewrite with every hash recomputed no longer matches the checkpoints", async () => {
    rewrite(editEntry5);
    for (const keys of [undefined, [pub]]) {
      expect(await verify(keys)).toMatchObject({
        ok: false,
        count: 6,
        break: { fault: "checkpoint", seq: 7 },
      });
    }
  });

  it("checkpoints re-pointed at the new hashes fail their signatures when the key is kept elsewhere", async () => {
    rewrite(editEntry5, { fixCheckpoints: true });
    // Without the key, the chain alone cannot tell: the limit, stated as a test.
    expect(await verify()).toMatchObject({ ok: true });
    const result = await verify([pub]);
    expect(result).toMatchObject({ ok: false, break: { fault: "checkpoint", seq: 7 } });
    expect(!result.ok && result.break.message).toMatch(/signature does not verify/);
    // The checkpoint before the edit still verifies.
    expect(result.checkpoints).toMatchObject({ verified: 1, signed_through: 3 });
  });

  it("checkpoints re-signed with the forger's own key are signed by an unknown key", async () => {
    const forger = loadOrCreateSigningKey(join(dir, "home", "forger.pem"), { create: true });
    rewrite(editEntry5, { fixCheckpoints: true, resign: forger });
    expect(await verify([pub])).toMatchObject({
      ok: false,
      break: { fault: "checkpoint", seq: 4, message: expect.stringMatching(/unknown key/) },
    });
  });

  it("a key kept in the home is no protection: its holder re-signs (why the key may live elsewhere)", async () => {
    rewrite(editEntry5, { fixCheckpoints: true, resign: key });
    expect(await verify([pub])).toMatchObject({ ok: true });
  });

  it("rejects a checkpoint whose signature, seq or hash was changed", async () => {
    const edits: Array<(data: Record<string, unknown>) => void> = [
      (d) => {
        const sig = Buffer.from(String(d.signature), "base64");
        sig[0] = (sig[0] ?? 0) ^ 1;
        d.signature = sig.toString("base64");
      },
      (d) => {
        d.seq = 2;
      },
      (d) => {
        d.hash = "a".repeat(64);
      },
    ];
    const original = await withStore((store) => store.readAudit());
    for (const change of edits) {
      const db = new Database(dbPath);
      db.exec(
        "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;",
      );
      db.prepare("DELETE FROM audit_entries").run();
      for (const e of original)
        db.prepare("INSERT INTO audit_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
          e.seq,
          e.ts,
          e.actor,
          e.action,
          e.subject,
          JSON.stringify(e.data),
          e.prev,
          e.hash,
        );
      const row = db.prepare("SELECT data FROM audit_entries WHERE seq = 4").get() as {
        data: string;
      };
      const data = JSON.parse(row.data);
      change(data);
      db.prepare("UPDATE audit_entries SET data = ? WHERE seq = 4").run(JSON.stringify(data));
      db.close();
      rewrite(() => undefined);
      expect(await verify([pub])).toMatchObject({
        ok: false,
        break: { fault: "checkpoint", seq: 4 },
      });
    }
  });
});

describe("checkpoints in an export", () => {
  it("verify with --public-key's key, and catch a rewrite the chain alone would pass", async () => {
    await sevenEvents();
    const file = join(dir, "audit.jsonl");
    const lines: string[] = [];
    await withStore(async (store) => {
      for await (const line of auditExportLines(store)) lines.push(line);
    });
    writeFileSync(file, `${lines.join("\n")}\n`);
    expect(await verifyAuditExport(file, { keys: [pub] })).toMatchObject({
      ok: true,
      checkpoints: { count: 3, verified: 3, key_id: key.keyId },
    });

    const entries = lines.slice(0, -1).map((line) => JSON.parse(line));
    entries[4].data = { n: 500 };
    let prev = { seq: 0, hash: "0".repeat(64) };
    for (const entry of entries) {
      if (entry.action === "audit.checkpoint") entry.data = { ...entry.data, ...prev };
      entry.prev = prev.hash;
      entry.hash = hashAuditEntry(entry);
      prev = { seq: entry.seq, hash: entry.hash };
    }
    writeFileSync(
      file,
      `${[...entries.map((e) => JSON.stringify(e)), JSON.stringify({ head: { ...prev, count: 10 } })].join("\n")}\n`,
    );
    expect((await verifyAuditExport(file)).ok).toBe(true);
    expect(await verifyAuditExport(file, { keys: [pub] })).toMatchObject({
      ok: false,
      break: { fault: "checkpoint", seq: 7, line: 7 },
    });
  });
});

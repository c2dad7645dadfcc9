import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteStore, type Store } from "../../store/index.js";
import { createRedactor } from "../redact.js";
import { createAuditLog } from "./audit-log.js";
import { auditExportLines, verifyAuditExport } from "./export.js";
import { hashAuditEntry } from "./seal.js";
import { verifyAuditLog } from "./verify-audit-log.js";
import { parseAuditAnchor } from "./verify-chain.js";

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
let headHash: string;
let hashes: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "df-audit-"));
  dbPath = join(dir, "state.db");
  const store = createSqliteStore({ path: dbPath });
  const audit = createAuditLog({ store, redactor: createRedactor() });
  for (let i = 1; i <= 10; i++)
    await audit.append("user:alice", "test.event", `thing:${i}`, { n: i, note: `event ${i}` });
  hashes = (await store.readAudit()).map((e) => e.hash);
  headHash = hashes[9] ?? "";
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What someone with write access to the file can do: the triggers are no obstacle to them. */
function tamper(fn: (db: Database.Database) => void): void {
  const db = new Database(dbPath);
  db.exec("DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete;");
  db.transaction(() => fn(db))();
  db.close();
}

async function verifyStore(anchor?: string) {
  const store: Store = createSqliteStore({ path: dbPath });
  try {
    const parsed = anchor === undefined ? undefined : parseAuditAnchor(anchor);
    return await verifyAuditLog(store, parsed ? { anchor: parsed } : {});
  } finally {
    await store.close();
  }
}

/** Recompute every hash from `fromSeq` on, and the head record: a careful forger's rewrite. */
function rehash(db: Database.Database, fromSeq: number): void {
  const rows = db.prepare("SELECT * FROM audit_entries ORDER BY seq").all() as Row[];
  let prev = "0".repeat(64);
  for (const row of rows) {
    if (row.seq >= fromSeq) {
      const hash = hashAuditEntry({ ...row, data: JSON.parse(row.data), prev });
      db.prepare("UPDATE audit_entries SET prev = ?, hash = ? WHERE seq = ?").run(
        prev,
        hash,
        row.seq,
      );
      prev = hash;
    } else {
      prev = row.hash;
    }
  }
  const last = rows.at(-1);
  if (last) db.prepare("UPDATE audit_head SET seq = ?, hash = ?").run(last.seq, prev);
}

describe("audit verify on the store", () => {
  it("passes an intact chain, naming its count and head", async () => {
    expect(await verifyStore()).toEqual({
      ok: true,
      count: 10,
      head: { seq: 10, hash: headHash },
      anchored: false,
      checkpoints: { count: 0, verified: 0, key_id: null, signed_through: 0 },
    });
    expect(await verifyStore(headHash)).toMatchObject({ ok: true, anchored: true });
    expect(await verifyStore(`10:${headHash}`)).toMatchObject({ ok: true, anchored: true });
    // An anchor from an earlier release is still inside a longer, intact chain.
    expect(await verifyStore(`4:${hashes[3]}`)).toMatchObject({ ok: true });
  });

  it("catches an edited entry", async () => {
    tamper((db) =>
      db
        .prepare("UPDATE audit_entries SET data = ? WHERE seq = 4")
        .run('{"n":400,"note":"event 4"}'),
    );
    expect(await verifyStore()).toMatchObject({
      ok: false,
      count: 3,
      break: { fault: "hash", seq: 4 },
    });
  });

  it("catches an edited actor", async () => {
    tamper((db) =>
      db.prepare("UPDATE audit_entries SET actor = 'user:mallory' WHERE seq = 7").run(),
    );
    expect(await verifyStore()).toMatchObject({ ok: false, break: { fault: "hash", seq: 7 } });
  });

  it("catches a deleted entry", async () => {
    tamper((db) => db.prepare("DELETE FROM audit_entries WHERE seq = 4").run());
    expect(await verifyStore()).toMatchObject({ ok: false, break: { fault: "sequence", seq: 4 } });
  });

  it("catches an entry inserted in the middle, even with a correct hash of its own", async () => {
    tamper((db) => {
      db.prepare("UPDATE audit_entries SET seq = seq + 1000 WHERE seq >= 5").run();
      db.prepare("UPDATE audit_entries SET seq = seq - 999 WHERE seq >= 1005").run();
      const forged = {
        seq: 5,
        ts: "2026-01-01T00:00:00.000Z",
        actor: "user:mallory",
        action: "x",
        subject: "s",
        data: {},
        prev: hashes[3] ?? "",
      };
      db.prepare("INSERT INTO audit_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
        forged.seq,
        forged.ts,
        forged.actor,
        forged.action,
        forged.subject,
        "{}",
        forged.prev,
        hashAuditEntry(forged),
      );
    });
    expect(await verifyStore()).toMatchObject({ ok: false, break: { fault: "link", seq: 6 } });
  });

  it("catches an entry appended behind the factory's back", async () => {
    tamper((db) =>
      db
        .prepare("INSERT INTO audit_entries VALUES (11, 't', 'user:mallory', 'x', 's', '{}', ?, ?)")
        .run(headHash, "f".repeat(64)),
    );
    expect(await verifyStore()).toMatchObject({ ok: false, break: { fault: "hash", seq: 11 } });
  });

  it("catches two entries swapped", async () => {
    tamper((db) => {
      db.prepare("UPDATE audit_entries SET seq = -3 WHERE seq = 3").run();
      db.prepare("UPDATE audit_entries SET seq = 3 WHERE seq = 4").run();
      db.prepare("UPDATE audit_entries SET seq = 4 WHERE seq = -3").run();
    });
    expect(await verifyStore()).toMatchObject({ ok: false, break: { seq: 3 } });
  });

  it("catches a truncated tail through the head record", async () => {
    tamper((db) => db.prepare("DELETE FROM audit_entries WHERE seq > 7").run());
    expect(await verifyStore()).toMatchObject({
      ok: false,
      count: 7,
      break: { fault: "truncated", seq: 8 },
    });
  });

  it("catches a deleted head record", async () => {
    tamper((db) => db.prepare("DELETE FROM audit_head").run());
    expect(await verifyStore()).toMatchObject({ ok: false, break: { fault: "head-missing" } });
  });

  it("catches a truncation with the head record moved back only with an anchor", async () => {
    tamper((db) => {
      db.prepare("DELETE FROM audit_entries WHERE seq > 7").run();
      db.prepare("UPDATE audit_head SET seq = 7, hash = ?").run(hashes[6] ?? "");
    });
    expect((await verifyStore()).ok).toBe(true);
    expect(await verifyStore(headHash)).toMatchObject({
      ok: false,
      break: { fault: "anchor-missing" },
    });
  });

  it("misses a rewrite with every hash recomputed unless the head is anchored", async () => {
    tamper((db) => {
      db.prepare("UPDATE audit_entries SET data = ? WHERE seq = 4").run(
        '{"n":4,"note":"nothing happened"}',
      );
      rehash(db, 4);
    });
    // The limit, stated as a test: a chain alone cannot prove it was not rewritten whole.
    expect(await verifyStore()).toMatchObject({ ok: true, count: 10 });
    expect(await verifyStore(headHash)).toMatchObject({
      ok: false,
      break: { fault: "anchor-missing" },
    });
    expect(await verifyStore(`10:${headHash}`)).toMatchObject({
      ok: false,
      break: { fault: "anchor-mismatch", seq: 10 },
    });
    expect(await verifyStore(`5:${hashes[4]}`)).toMatchObject({
      ok: false,
      break: { fault: "anchor-mismatch", seq: 5 },
    });
    // An anchor from before the rewritten part still matches: the rewrite began after it.
    expect((await verifyStore(`3:${hashes[2]}`)).ok).toBe(true);
  });
});

describe("audit verify on an export", () => {
  let file: string;
  let lines: string[];

  beforeEach(async () => {
    const store = createSqliteStore({ path: dbPath });
    lines = [];
    for await (const line of auditExportLines(store)) lines.push(line);
    await store.close();
    file = join(dir, "audit.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
  });

  const write = (next: string[]) => writeFileSync(file, `${next.join("\n")}\n`);
  const entryLines = () => lines.slice(0, -1);
  const headLine = () => lines.at(-1) ?? "";

  it("passes an intact export, with and without the anchor, and ends with the head line", async () => {
    expect(JSON.parse(headLine())).toEqual({ head: { seq: 10, hash: headHash, count: 10 } });
    expect(await verifyAuditExport(file)).toMatchObject({
      ok: true,
      count: 10,
      head: { hash: headHash },
    });
    expect(await verifyAuditExport(file, { anchor: { hash: headHash } })).toMatchObject({
      ok: true,
      anchored: true,
    });
  });

  it("catches an edited line, naming its line number", async () => {
    const edited = JSON.parse(lines[5] ?? "");
    edited.subject = "thing:forged";
    write([...lines.slice(0, 5), JSON.stringify(edited), ...lines.slice(6)]);
    expect(await verifyAuditExport(file)).toMatchObject({
      ok: false,
      break: { fault: "hash", seq: 6, line: 6 },
    });
  });

  it("catches a deleted line", async () => {
    write([...lines.slice(0, 2), ...lines.slice(3)]);
    expect(await verifyAuditExport(file)).toMatchObject({
      ok: false,
      break: { fault: "sequence", seq: 3, line: 3 },
    });
  });

  it("catches an inserted line", async () => {
    write([...lines.slice(0, 4), lines[1] ?? "", ...lines.slice(4)]);
    expect(await verifyAuditExport(file)).toMatchObject({
      ok: false,
      break: { fault: "sequence", seq: 5, line: 5 },
    });
  });

  it("catches reordered lines", async () => {
    write([lines[0] ?? "", lines[2] ?? "", lines[1] ?? "", ...lines.slice(3)]);
    expect(await verifyAuditExport(file)).toMatchObject({
      ok: false,
      break: { fault: "sequence", seq: 2, line: 2 },
    });
  });

  it("catches a truncated file, whose head line is gone", async () => {
    write(entryLines().slice(0, 7));
    expect(await verifyAuditExport(file)).toMatchObject({
      ok: false,
      count: 7,
      break: { fault: "head-missing", seq: 8 },
    });
  });

  it("catches lines appended after the head line, and a line that is not JSON", async () => {
    write([...lines, lines[0] ?? ""]);
    expect(await verifyAuditExport(file)).toMatchObject({
      ok: false,
      break: { fault: "malformed", line: 12 },
    });
    write([...lines.slice(0, 3), "{not json", ...lines.slice(3)]);
    expect(await verifyAuditExport(file)).toMatchObject({
      ok: false,
      break: { fault: "malformed", line: 4 },
    });
  });

  it("misses a rewritten export with recomputed hashes unless the head is anchored", async () => {
    const entries = entryLines().map((line) => JSON.parse(line));
    entries[3].data = { n: 4, note: "nothing happened" };
    let prev = entries[2].hash;
    for (const entry of entries.slice(3)) {
      entry.prev = prev;
      entry.hash = hashAuditEntry(entry);
      prev = entry.hash;
    }
    write([
      ...entries.map((e) => JSON.stringify(e)),
      JSON.stringify({ head: { seq: 10, hash: prev, count: 10 } }),
    ]);
    expect((await verifyAuditExport(file)).ok).toBe(true);
    expect(await verifyAuditExport(file, { anchor: { hash: headHash } })).toMatchObject({
      ok: false,
      break: { fault: "anchor-missing" },
    });
  });

  it("refuses a file that does not exist with an input error", async () => {
    await expect(verifyAuditExport(join(dir, "missing.jsonl"))).rejects.toMatchObject({
      exitCode: 2,
    });
  });
});

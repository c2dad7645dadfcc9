/**
 * Audit log throughput and verification, against raw better-sqlite3 doing the same writes and
 * reads with no hashing, redaction or chaining: the ratio is the price of tamper evidence.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import {
  createAuditLog,
  createRedactor,
  secretValuesFromEnv,
  verifyAuditLog,
} from "../src/governance/index.js";
import { createSqliteStore } from "../src/store/index.js";

const SINGLE = 20_000;
const TOTAL = 100_000;
const BATCH = 1_000;

const event = (i: number) => ({
  actor: "agent:builder",
  action: "tool.run",
  subject: `bolt:b-${i % 50}`,
  data: {
    command: "npm test",
    exit: i % 7 === 0 ? 1 : 0,
    ms: i % 997,
    output: `ok ${i} tests passed`,
  },
});

function rawStore(path: string) {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(
    "CREATE TABLE e (seq INTEGER PRIMARY KEY, ts TEXT, actor TEXT, action TEXT, subject TEXT, data TEXT, prev TEXT, hash TEXT)",
  );
  const insert = db.prepare("INSERT INTO e VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const row = (i: number) => {
    const e = event(i);
    return [
      i,
      new Date().toISOString(),
      e.actor,
      e.action,
      e.subject,
      JSON.stringify(e.data),
      "0".repeat(64),
      "0".repeat(64),
    ];
  };
  return {
    db,
    one: (i: number) => db.transaction(() => insert.run(...row(i))).immediate(),
    many: (from: number, n: number) =>
      db
        .transaction(() => {
          for (let i = from; i < from + n; i++) insert.run(...row(i));
        })
        .immediate(),
  };
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}
async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString("en-US");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function benchAudit(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "df-bench-"));
  try {
    const raw = rawStore(join(dir, "raw.db"));
    const store = createSqliteStore({ path: join(dir, "state.db") });
    const audit = createAuditLog({
      store,
      redactor: createRedactor({ secretValues: secretValuesFromEnv(process.env) }),
    });

    // Warm both paths so the first statements' preparation is not counted.
    raw.many(1, 100);
    await audit.appendMany(Array.from({ length: 100 }, (_, i) => event(i)));

    const rawOne = time(() => {
      for (let i = 0; i < SINGLE; i++) raw.one(1_000 + i);
    });
    const oursOne = await timeAsync(async () => {
      for (let i = 0; i < SINGLE; i++)
        await audit.append("agent:builder", "tool.run", `bolt:b-${i % 50}`, event(i).data);
    });

    const remaining = TOTAL - SINGLE - 100;
    const rawMany = time(() => {
      for (let i = 0; i < remaining; i += BATCH)
        raw.many(100_000 + i, Math.min(BATCH, remaining - i));
    });
    const oursMany = await timeAsync(async () => {
      for (let i = 0; i < remaining; i += BATCH) {
        await audit.appendMany(
          Array.from({ length: Math.min(BATCH, remaining - i) }, (_, k) => event(i + k)),
        );
      }
    });

    const heapBefore = process.memoryUsage().heapUsed;
    const verify = await timeAsync(() => verifyAuditLog(store));
    const heapAfter = process.memoryUsage().heapUsed;
    if (!verify.value.ok || verify.value.count !== TOTAL)
      throw new Error(`verify failed: ${JSON.stringify(verify.value)}`);
    // Baseline for verify: read every row and hash its text once, with no canonical form or chain.
    const rawVerify = time(() => {
      let n = 0;
      for (const row of raw.db.prepare("SELECT * FROM e ORDER BY seq").iterate()) {
        createHash("sha256").update(JSON.stringify(row)).digest("hex");
        n++;
      }
      return n;
    });

    const lines = [
      ["audit append, 1 entry a transaction", rate(SINGLE, oursOne.ms), rate(SINGLE, rawOne.ms)],
      [
        `audit append, ${fmt(BATCH)} entries a transaction`,
        rate(remaining, oursMany.ms),
        rate(remaining, rawMany.ms),
      ],
    ] as const;
    process.stdout.write("audit log (SQLite, WAL, synchronous=NORMAL)\n");
    for (const [name, ours, base] of lines) {
      process.stdout.write(
        `  ${name.padEnd(42)} ${fmt(ours).padStart(9)} entries/s   raw better-sqlite3 ${fmt(base).padStart(9)}/s   ratio ${(ours / base).toFixed(2)}\n`,
      );
    }
    process.stdout.write(
      `  audit verify, ${fmt(TOTAL)} entries${" ".repeat(19)} ${verify.value.count === TOTAL ? "" : "!"}${(verify.ms / 1000).toFixed(2).padStart(8)} s      raw read+sha256 ${(rawVerify.ms / 1000).toFixed(2)} s   ratio ${(verify.ms / rawVerify.ms).toFixed(2)}   target < 2 s: ${verify.ms < 2000 ? "met" : "MISSED"}\n`,
    );
    const memory = process.memoryUsage();
    process.stdout.write(
      `  memory: rss ${mb(memory.rss)}, heap ${mb(memory.heapUsed)}; heap change across verify ${mb(heapAfter - heapBefore)}\n`,
    );
    await store.close();
    raw.db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

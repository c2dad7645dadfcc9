import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteStore, type Store } from "../../store/index.js";
import { createRedactor, secretValuesFromEnv } from "../redact.js";
import { createAuditLog } from "./audit-log.js";
import { auditExportLines } from "./export.js";
import { verifyAuditLog } from "./verify-audit-log.js";

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "df-auditlog-"));
  store = createSqliteStore({ path: join(dir, "state.db") });
});
afterEach(async () => {
  await store.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe("createAuditLog", () => {
  it("records actor, action, subject, data and time, chained, and verifies", async () => {
    const audit = createAuditLog({
      store,
      redactor: createRedactor(),
      now: () => new Date("2026-11-25T12:00:00Z"),
    });
    const first = await audit.append("user:alice", "home.init", "home:/tmp/h", { example: "acme" });
    const [second, third] = await audit.appendMany([
      {
        actor: "agent:builder",
        action: "tool.write",
        subject: "file:src/a.ts",
        data: { bytes: 10, skipped: undefined },
      },
      { actor: "system", action: "bolt.end", subject: "bolt:b1" },
    ]);
    expect(first).toMatchObject({
      seq: 1,
      ts: "2026-11-25T12:00:00.000Z",
      actor: "user:alice",
      data: { example: "acme" },
    });
    expect(second).toMatchObject({ seq: 2, prev: first.hash, data: { bytes: 10 } });
    expect(third).toMatchObject({ seq: 3, data: {} });
    expect(await verifyAuditLog(store)).toMatchObject({
      ok: true,
      count: 3,
      head: { seq: 3, hash: third?.hash },
    });
  });

  it("never writes a secret from the environment or an agent's output to the store or an export", async () => {
    const envSecret = "env-secret-7f3a9c1d2e";
    const agentToken = `ghp_${"Zy9Xw8Vu7T".repeat(4)}`;
    const redactor = createRedactor({
      secretValues: secretValuesFromEnv({ DF_TEST_DEPLOY_TOKEN: envSecret }),
    });
    const audit = createAuditLog({ store, redactor });
    await audit.append("agent:builder", "tool.run", `cmd:deploy --token ${envSecret}`, {
      stdout: `logged in with ${agentToken}\nusing ${envSecret}`,
      env: { DF_TEST_DEPLOY_TOKEN: envSecret },
    });
    const lines: string[] = [];
    for await (const line of auditExportLines(store)) lines.push(line);
    await store.close();

    const exported = lines.join("\n");
    const stored = ["state.db", "state.db-wal"]
      .map((f) => join(dir, f))
      .filter(existsSync)
      .map((f) => readFileSync(f).toString("latin1"))
      .join("");
    for (const haystack of [exported, stored]) {
      expect(haystack).not.toContain(envSecret);
      expect(haystack).not.toContain(agentToken);
    }
    expect(exported).toContain("[REDACTED:github-token]");
    expect(exported).toContain("cmd:deploy --token [REDACTED]");
  });
});

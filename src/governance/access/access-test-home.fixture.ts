// A store and audit log in a temp folder, for the access tests: the real SQLite store, no home.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteStore } from "../../store/index.js";
import { createAuditLog } from "../audit/audit-log.js";
import { createRedactor } from "../redact.js";
import type { AccessHome } from "./access-home.js";

export function accessTestHome(): AccessHome & { path: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), "df-access-"));
  const path = join(dir, "state.db");
  const store = createSqliteStore({ path });
  const audit = createAuditLog({ store, redactor: createRedactor({ secretValues: [] }) });
  return {
    store,
    audit,
    path,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

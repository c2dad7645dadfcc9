// Engine dependencies for tests: a real store and audit log, the default handlers plus any
// custom ones, no real sleeping, and a fixed jitter.
import { join } from "node:path";
import { createAuditLog, createRedactor } from "../../governance/index.js";
import type { Store } from "../../store/index.js";
import { createDefaultRegistry } from "../handlers/default-registry.js";
import { createLocalExecutor } from "../handlers/tool-executor.js";
import type { EngineDeps } from "./engine-deps.js";
import type { Handler } from "./handler.js";

export interface TestDepsOptions extends Partial<EngineDeps> {
  handlers?: Record<string, Handler>;
  secretValues?: string[];
}

export function testEngineDeps(
  store: Store,
  dir: string,
  options: TestDepsOptions = {},
): EngineDeps {
  const { handlers = {}, secretValues = [], ...extra } = options;
  const redactor = createRedactor({ secretValues });
  const registry = createDefaultRegistry({ executor: createLocalExecutor(), redactor });
  for (const [type, handler] of Object.entries(handlers)) registry.register(type, handler);
  return {
    store,
    audit: createAuditLog({ store, redactor }),
    redactor,
    registry,
    owner: "test:1:a",
    actor: "user:test",
    runsDir: join(dir, "runs"),
    sleep: async () => undefined,
    random: () => 0.5,
    ...extra,
  };
}

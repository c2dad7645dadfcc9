import { join, resolve } from "node:path";
import type { Diagnostic } from "../common/index.js";
import {
  type AuditLog,
  createAuditLog,
  createRedactor,
  loadOrCreateSigningKey,
  type Redactor,
  type SigningKey,
  secretValuesFromEnv,
} from "../governance/index.js";
import { createSqliteStore, type Store } from "../store/index.js";
import type { FactoryConfig } from "./config-schema.js";
import { ConfigInvalidError } from "./errors.js";
import { homeLayout } from "./layout.js";
import { loadConfig } from "./load-config.js";

/** Where the audit signing key lives when factory.yaml names no other place. */
export const DEFAULT_SIGNING_KEY = ".factory/keys/audit-ed25519.pem";

/** An opened factory home: its config, its store and the audit log that every action goes through. */
export interface Home {
  root: string;
  config: FactoryConfig;
  /** Problems in factory.yaml that do not stop the factory (e.g. the product repo is not there yet). */
  warnings: Diagnostic[];
  store: Store;
  audit: AuditLog;
  redactor: Redactor;
  /**
   * The Ed25519 key that signs audit checkpoints and provenance, loaded on first use: made at
   * the home's default path if missing; a key configured elsewhere must already exist.
   */
  signingKey(): SigningKey;
  close(): Promise<void>;
}

export interface OpenHomeOptions {
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export function openHome(root: string, options: OpenHomeOptions = {}): Home {
  const loaded = loadConfig(join(root, homeLayout.config));
  if (!loaded.ok) throw new ConfigInvalidError(join(root, homeLayout.config), loaded.issues);
  const config = loaded.value;
  const redactor = createRedactor({
    secretValues: secretValuesFromEnv(options.env ?? process.env, config.secrets.env),
  });
  const store = createSqliteStore({ path: join(root, homeLayout.stateDb) });
  const { signingKey: keyPath, checkpointEvery } = config.audit;
  let key: SigningKey | undefined;
  const signingKey = () => {
    key ??= loadOrCreateSigningKey(keyPath, {
      create: keyPath === resolve(root, DEFAULT_SIGNING_KEY),
    });
    return key;
  };
  const audit = createAuditLog({
    store,
    redactor,
    ...(options.now ? { now: options.now } : {}),
    checkpoint: { signer: signingKey, every: checkpointEvery },
  });
  return {
    root,
    config,
    warnings: loaded.warnings,
    store,
    audit,
    redactor,
    signingKey,
    close: () => store.close(),
  };
}

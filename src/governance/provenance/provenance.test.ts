import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteStore, type Store } from "../../store/index.js";
import { createAuditLog } from "../audit/audit-log.js";
import { createRedactor } from "../redact.js";
import {
  loadOrCreateSigningKey,
  parseVerifyingKey,
  type SigningKey,
} from "../signing/signing-key.js";
import { buildProvenance, type ProvenanceHome } from "./build-provenance.js";
import { type DsseEnvelope, pae, signEnvelope, verifyEnvelope } from "./dsse.js";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const git = (repo: string, ...args: string[]) =>
  execFileSync("git", ["-C", repo, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@x",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@x",
    },
  }).trim();

let dir: string;
let store: Store;
let home: ProvenanceHome;
let key: SigningKey;
let mergeCommit: string;
const INTENT = "# Refunds\n\nintent text\n";
const PIPELINE = "digraph bolt { start -> release -> exit }";

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "df-prov-"));
  const root = join(dir, "factory");
  const repo = join(dir, "product");
  mkdirSync(join(root, "policies"), { recursive: true });
  mkdirSync(join(root, "intents"));
  writeFileSync(join(root, "intents", "refunds.md"), INTENT);
  writeFileSync(join(root, "policies", "default.yaml"), "rules: []\n");
  writeFileSync(join(root, "policies", "notes.txt"), "not a policy\n");
  // A product whose main holds a real merge commit, as factory.release makes one.
  mkdirSync(repo);
  git(repo, "init", "-q", "-b", "main");
  writeFileSync(join(repo, "a.txt"), "a\n");
  git(repo, "add", ".");
  git(repo, "commit", "-qm", "base");
  git(repo, "checkout", "-qb", "df/integration");
  writeFileSync(join(repo, "b.txt"), "b\n");
  git(repo, "add", ".");
  git(repo, "commit", "-qm", "feature");
  git(repo, "checkout", "-q", "main");
  git(repo, "merge", "-q", "--no-ff", "-m", "Release refunds", "df/integration");
  mergeCommit = git(repo, "rev-parse", "HEAD");

  store = createSqliteStore({ path: join(root, "state.db") });
  home = {
    root,
    store,
    config: {
      product: { repo, mainBranch: "main" },
      agents: {
        build: {
          driver: "llm",
          provider: "openai",
          model: "gpt-5-mini",
          api_key_env: "SECRET_NAME",
        },
        evaluate: { driver: "cli", command: "claude", args: [] },
      },
    },
  };
  await store.createBolt({
    id: "b1",
    intentId: "refunds",
    pipeline: join(root, "pipelines", "bolt.dot"),
    source: PIPELINE,
    seed: { "factory.intent.file": "intents/refunds.md" },
  });
  const times = [
    "2026-11-25T10:00:00.000Z",
    "2026-11-25T10:05:00.000Z",
    "2026-11-25T10:09:00.000Z",
  ];
  let t = 0;
  const audit = createAuditLog({
    store,
    redactor: createRedactor(),
    now: () => new Date(times[Math.min(t++, times.length - 1)] ?? ""),
  });
  await audit.append("system", "bolt.start", "bolt:b1", {});
  await audit.appendMany([
    {
      actor: "system",
      action: "intent.intake",
      subject: "bolt:b1/intake",
      data: { file: "intents/refunds.md", sha256: sha256(INTENT) },
    },
    {
      actor: "agent:builder",
      action: "agent.model_call",
      subject: "bolt:b1/build",
      data: { provider: "openai", model: "gpt-5-mini-2026" },
    },
    {
      actor: "agent:builder",
      action: "agent.model_call",
      subject: "bolt:b1/build",
      data: { provider: "openai", model: "gpt-5-mini-2026" },
    },
    // Another bolt's release must not be taken for this one's.
    {
      actor: "system",
      action: "release.merge",
      subject: "bolt:b10/release",
      data: { commit: "f".repeat(40), main: "main" },
    },
  ]);
  await audit.append("system", "release.merge", "bolt:b1/release", {
    commit: mergeCommit,
    main: "main",
    auditHead: "5:x",
  });
  key = loadOrCreateSigningKey(join(dir, "key.pem"), { create: true });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("buildProvenance", () => {
  it("names the release merge commit on main as the subject, and what it was built from", async () => {
    const statement = await buildProvenance(home, "b1", { version: "9.9.9" });
    expect(statement).toMatchObject({
      _type: "https://in-toto.io/Statement/v1",
      subject: [
        {
          name: `git+${home.config.product.repo}@refs/heads/main`,
          digest: { gitCommit: mergeCommit },
        },
      ],
      predicateType: "https://slsa.dev/provenance/v1",
      predicate: {
        buildDefinition: {
          buildType: "https://darkfactory.dev/bolt/v1",
          externalParameters: {
            intent: { path: "intents/refunds.md", sha256: sha256(INTENT) },
            pipeline: { path: "pipelines/bolt.dot", sha256: sha256(PIPELINE) },
          },
          internalParameters: { bolt: "b1" },
        },
        runDetails: {
          builder: { id: "https://darkfactory.dev/factory@9.9.9" },
          metadata: {
            invocationId: "b1",
            startedOn: "2026-11-25T10:00:00.000Z",
            finishedOn: "2026-11-25T10:09:00.000Z",
          },
        },
      },
    });
    // The commit really is a merge on main in the product.
    expect(
      git(home.config.product.repo, "rev-list", "--parents", "-n1", "main").split(" "),
    ).toHaveLength(3);
    const deps = statement.predicate.buildDefinition.resolvedDependencies;
    expect(deps.map((d) => d.name)).toEqual([
      "intents/refunds.md",
      "pipelines/bolt.dot",
      "policies/default.yaml",
      "agent:build",
      "agent:evaluate",
      "model:openai/gpt-5-mini-2026",
    ]);
    expect(deps[2]?.digest).toEqual({ sha256: sha256("rules: []\n") });
    expect(deps[3]?.annotations).toEqual({
      driver: "llm",
      provider: "openai",
      model: "gpt-5-mini",
    });
    expect(deps[5]?.annotations).toEqual({ calls: 2 });
    expect(JSON.stringify(statement)).not.toContain("SECRET_NAME");
  });

  it("refuses a bolt with no release, and an unknown bolt", async () => {
    await store.createBolt({ id: "b2", intentId: "x", pipeline: "p.dot", source: "" });
    await expect(buildProvenance(home, "b2")).rejects.toMatchObject({ exitCode: 1 });
    await expect(buildProvenance(home, "nope")).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe("DSSE envelopes", () => {
  let envelope: DsseEnvelope;
  beforeEach(async () => {
    envelope = signEnvelope(await buildProvenance(home, "b1"), key);
  });
  const pub = () => parseVerifyingKey(key.publicKeyPem);

  it("verifies with the signer's key, giving back the statement", () => {
    expect(envelope.payloadType).toBe("application/vnd.in-toto+json");
    expect(envelope.signatures).toEqual([{ keyid: key.keyId, sig: expect.any(String) }]);
    const result = verifyEnvelope(envelope, pub());
    expect(result).toMatchObject({ ok: true, keyid: key.keyId });
    expect(result.ok && (result.statement as { subject: unknown[] }).subject).toEqual([
      expect.objectContaining({ digest: { gitCommit: mergeCommit } }),
    ]);
  });

  it("signs the PAE, not the bare payload", () => {
    const payload = Buffer.from(envelope.payload, "base64");
    const sig = envelope.signatures[0]?.sig ?? "";
    expect(pub().verify(pae(envelope.payloadType, payload), sig)).toBe(true);
    expect(pub().verify(payload, sig)).toBe(false);
    expect(pae("t", Buffer.from("ab")).toString()).toBe("DSSEv1 1 t 2 ab");
  });

  it("fails with another key, even one relabelled with the signer's key id", () => {
    const other = loadOrCreateSigningKey(join(dir, "other.pem"), { create: true });
    expect(verifyEnvelope(envelope, parseVerifyingKey(other.publicKeyPem))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no signature by key/),
    });
    const relabelled = { ...parseVerifyingKey(other.publicKeyPem), keyId: key.keyId };
    expect(verifyEnvelope(envelope, relabelled)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not verify/),
    });
  });

  it("rejects a changed payload byte, a changed signature and a changed payload type", () => {
    const payload = Buffer.from(envelope.payload, "base64");
    const at = payload.indexOf(mergeCommit.slice(0, 8));
    payload[at] = payload[at] === 0x61 ? 0x62 : 0x61;
    expect(verifyEnvelope({ ...envelope, payload: payload.toString("base64") }, pub()).ok).toBe(
      false,
    );

    const sig = Buffer.from(envelope.signatures[0]?.sig ?? "", "base64");
    sig[10] = (sig[10] ?? 0) ^ 0x80;
    const badSig = { ...envelope, signatures: [{ keyid: key.keyId, sig: sig.toString("base64") }] };
    expect(verifyEnvelope(badSig, pub()).ok).toBe(false);

    expect(verifyEnvelope({ ...envelope, payloadType: "application/json" }, pub()).ok).toBe(false);
    expect(verifyEnvelope({ nonsense: true }, pub()).ok).toBe(false);
  });
});

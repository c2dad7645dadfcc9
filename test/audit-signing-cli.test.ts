// `factory audit key`, `audit verify`'s checkpoints and `audit provenance` through the CLI, on
// an acme home holding one released bolt (its release entry written as factory.release writes it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateSigningKey } from "../src/governance/index.js";
import { openHome } from "../src/home/index.js";
import { cli } from "./fixtures/bolt/bolt-home.js";

let work: string;
let home: string;
let product: string;
let commit: string;
/** The seq of the one checkpoint, appended after the bolt's entries. */
let checkpointSeq: number;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "df-audit-sign-"));
  const init = await cli(["init", join(work, "acme"), "--example", "acme"], work);
  expect(init.code, init.stderr).toBe(0);
  home = join(work, "acme", "factory");
  product = join(work, "acme", "product");
  commit = execFileSync("git", ["-C", product, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
  const opened = openHome(home);
  try {
    await opened.store.createBolt({
      id: "b1",
      intentId: "refunds",
      pipeline: "pipelines/bolt.dot",
      source: "digraph {}",
    });
    await opened.audit.append("system", "bolt.start", "bolt:b1", {});
    await opened.audit.append("system", "release.merge", "bolt:b1/release", {
      commit,
      main: "main",
    });
    await opened.audit.append("system", "bolt.end", "bolt:b1", { status: "succeeded" });
    checkpointSeq = (await opened.audit.checkpoint())?.seq ?? 0;
  } finally {
    await opened.close();
  }
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const json = (stdout: string) => JSON.parse(stdout);

describe("factory audit key", () => {
  it("prints the public key and writes it with --out; the private key stays 0600 in the home", async () => {
    const printed = await cli(["audit", "key"], home);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain("BEGIN PUBLIC KEY");
    expect(printed.stdout).not.toContain("PRIVATE");
    const written = await cli(["audit", "key", "--out", join(work, "audit.pub"), "--json"], home);
    expect(written.code).toBe(0);
    expect(json(written.stdout)).toMatchObject({ key_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(readFileSync(join(work, "audit.pub"), "utf8")).toBe(json(written.stdout).public_key);
    expect(statSync(join(home, ".factory", "keys", "audit-ed25519.pem")).mode & 0o777).toBe(0o600);
  });
});

describe("factory audit verify with checkpoints", () => {
  it("verifies the checkpoint with the home's key, with --public-key, and reports it unverified on an export without a key", async () => {
    const local = await cli(["audit", "verify", "--json"], home);
    expect(local.code, local.stdout).toBe(0);
    const keyId = json((await cli(["audit", "key", "--json"], home)).stdout).key_id;
    expect(json(local.stdout).checkpoints).toEqual({
      count: 1,
      verified: 1,
      key_id: keyId,
      signed_through: checkpointSeq - 1,
    });
    const pub = join(work, "audit.pub");
    const given = await cli(["audit", "verify", "--public-key", pub], home);
    expect(given.stdout).toContain(`1 of 1 checkpoints signed by key ${keyId}`);

    const exported = join(work, "audit.jsonl");
    expect((await cli(["audit", "export", "--out", exported], home)).code).toBe(0);
    const bare = await cli(["audit", "verify", "--file", exported, "--json"], work);
    expect(json(bare.stdout).checkpoints).toMatchObject({ count: 1, verified: 0, key_id: null });
    const signed = await cli(
      ["audit", "verify", "--file", exported, "--public-key", pub, "--json"],
      work,
    );
    expect(json(signed.stdout)).toMatchObject({
      ok: true,
      checkpoints: { verified: 1, key_id: keyId },
    });
  });

  it("fails with the checkpoint fault when the checkpoint is signed by another key", async () => {
    const other = loadOrCreateSigningKey(join(work, "other.pem"), { create: true });
    writeFileSync(join(work, "other.pub"), other.publicKeyPem);
    const run = await cli(
      ["audit", "verify", "--public-key", join(work, "other.pub"), "--json"],
      home,
    );
    expect(run.code).toBe(1);
    expect(json(run.stdout).break).toMatchObject({
      fault: "checkpoint",
      seq: checkpointSeq,
      message: expect.stringMatching(/unknown key/),
    });
  });
});

describe("factory audit provenance", () => {
  it("prints the release's envelope, which verifies with the public key and names the merge commit", async () => {
    const out = join(work, "b1.dsse.json");
    const made = await cli(["audit", "provenance", "b1", "--out", out], home);
    expect(made.code, made.stderr).toBe(0);
    const pub = join(work, "audit.pub");
    const ok = await cli(
      ["audit", "provenance", "--verify", out, "--public-key", pub, "--json"],
      work,
    );
    expect(ok.code, ok.stdout).toBe(0);
    expect(json(ok.stdout)).toMatchObject({
      ok: true,
      bolt: "b1",
      subject: { name: `git+${product}@refs/heads/main`, digest: { gitCommit: commit } },
    });
    const printed = await cli(["audit", "provenance", "b1"], home);
    expect(json(printed.stdout)).toMatchObject({ payloadType: "application/vnd.in-toto+json" });
  });

  it("rejects an envelope for another bolt, another key, or an altered payload, with exit 1", async () => {
    const out = join(work, "b1.dsse.json");
    const pub = join(work, "audit.pub");
    const wrongBolt = await cli(
      ["audit", "provenance", "b2", "--verify", out, "--public-key", pub],
      work,
    );
    expect(wrongBolt.code).toBe(1);
    expect(wrongBolt.stdout).toContain("not b2");
    const otherKey = await cli(
      ["audit", "provenance", "--verify", out, "--public-key", join(work, "other.pub")],
      work,
    );
    expect(otherKey.code).toBe(1);
    const envelope = json(readFileSync(out, "utf8"));
    const statement = json(Buffer.from(envelope.payload, "base64").toString());
    statement.subject[0].digest.gitCommit = "0".repeat(40);
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString("base64");
    writeFileSync(join(work, "forged.json"), JSON.stringify(envelope));
    const forged = await cli(
      ["audit", "provenance", "--verify", join(work, "forged.json"), "--public-key", pub],
      work,
    );
    expect(forged.code).toBe(1);
    expect(forged.stdout).toContain("does not verify");
  });

  it("refuses a bolt that was never released", async () => {
    const opened = openHome(home);
    await opened.store.createBolt({ id: "b3", intentId: "x", pipeline: "p.dot", source: "" });
    await opened.close();
    const run = await cli(["audit", "provenance", "b3"], home);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("has no release");
  });
});

describe("a signing key configured outside the home", () => {
  it("is never created: a missing one is an error that names it", async () => {
    const config = join(home, "factory.yaml");
    const missing = join(work, "offline", "audit.pem");
    writeFileSync(config, `${readFileSync(config, "utf8")}\naudit:\n  signing_key: ${missing}\n`);
    const run = await cli(["audit", "key"], home);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${missing} does not exist`);
  });
});

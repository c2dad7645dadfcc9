import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateSigningKey, parseVerifyingKey, readVerifyingKey } from "./signing-key.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "df-key-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("loadOrCreateSigningKey", () => {
  it("creates a private key readable only by its owner, then loads the same key", () => {
    const path = join(dir, "keys", "audit-ed25519.pem");
    const made = loadOrCreateSigningKey(path, { create: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "keys")).mode & 0o777).toBe(0o700);
    expect(readFileSync(path, "utf8")).toContain("BEGIN PRIVATE KEY");
    const again = loadOrCreateSigningKey(path);
    expect(again.keyId).toBe(made.keyId);
    expect(made.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(again.publicKeyPem).toContain("BEGIN PUBLIC KEY");
  });

  it("refuses a missing key it was not asked to create, and creates nothing", () => {
    const path = join(dir, "elsewhere.pem");
    expect(() => loadOrCreateSigningKey(path)).toThrow(/does not exist/);
    expect(existsSync(path)).toBe(false);
  });

  it("refuses a key that is not Ed25519", () => {
    const path = join(dir, "rsa.pem");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(path, privateKey.export({ type: "pkcs8", format: "pem" }));
    expect(() => loadOrCreateSigningKey(path)).toThrow(/not an Ed25519/);
  });
});

describe("signatures", () => {
  it("verify with the signer's public key only, and only for the signed bytes", () => {
    const key = loadOrCreateSigningKey(join(dir, "a.pem"), { create: true });
    const other = loadOrCreateSigningKey(join(dir, "b.pem"), { create: true });
    const signature = key.sign("hello");
    const pub = parseVerifyingKey(key.publicKeyPem);
    expect(pub.keyId).toBe(key.keyId);
    expect(pub.verify("hello", signature)).toBe(true);
    expect(pub.verify("hellp", signature)).toBe(false);
    expect(parseVerifyingKey(other.publicKeyPem).verify("hello", signature)).toBe(false);
    expect(pub.verify("hello", "not base64 at all")).toBe(false);
  });

  it("reads a verifying key from a public PEM file or a private one", () => {
    const path = join(dir, "a.pem");
    const key = loadOrCreateSigningKey(path, { create: true });
    writeFileSync(join(dir, "a.pub"), key.publicKeyPem);
    expect(readVerifyingKey(join(dir, "a.pub")).keyId).toBe(key.keyId);
    expect(readVerifyingKey(path).keyId).toBe(key.keyId);
    expect(() => readVerifyingKey(join(dir, "none.pub"))).toThrow(/cannot read/);
  });
});

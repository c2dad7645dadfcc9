/**
 * Ed25519 keys for audit checkpoints and release provenance. The private key is a PKCS8 PEM
 * file; a key is named by its id, the first 16 hex characters of the SHA-256 of its SPKI DER.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { InputError, WorkError } from "../../common/index.js";

/** Checks signatures made by one key; all a verifier ever needs. */
export interface VerifyingKey {
  keyId: string;
  publicKeyPem: string;
  /** Whether `signature` (base64) is this key's signature of `data`. */
  verify(data: string | Uint8Array, signature: string): boolean;
}

/** A private key that signs; it can also verify its own signatures. */
export interface SigningKey extends VerifyingKey {
  /** The base64 Ed25519 signature of `data`. */
  sign(data: string | Uint8Array): string;
}

/** `sha256(SPKI DER)`, hex, first 16 characters. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

function verifyingKey(publicKey: KeyObject): VerifyingKey {
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    verify(data, signature) {
      try {
        return verify(null, Buffer.from(data), publicKey, Buffer.from(signature, "base64"));
      } catch {
        return false;
      }
    },
  };
}

function requireEd25519(key: KeyObject, source: string): void {
  if (key.asymmetricKeyType !== "ed25519") {
    throw new InputError(
      "signing-key-type",
      `${source} holds a ${key.asymmetricKeyType ?? "symmetric"} key, not an Ed25519 one`,
      { hint: "audit checkpoints and provenance are signed with Ed25519 keys" },
    );
  }
}

/** Reads a public key (SPKI PEM) or derives it from a private key PEM; for `--public-key`. */
export function readVerifyingKey(path: string): VerifyingKey {
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(
      "public-key-unreadable",
      `cannot read the key ${path}: ${(error as Error).message}`,
      {
        hint: "pass the PEM file printed by `factory audit key --out <file>`",
      },
    );
  }
  return parseVerifyingKey(pem, path);
}

/** A verifying key from PEM text (public, or private from which the public half is taken). */
export function parseVerifyingKey(pem: string, source = "the key"): VerifyingKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new InputError(
      "public-key-invalid",
      `${source} is not a PEM key: ${(error as Error).message}`,
    );
  }
  requireEd25519(key, source);
  return verifyingKey(key);
}

export interface LoadSigningKeyOptions {
  /** Make a new key when the file does not exist (only ever at the home's default path). */
  create?: boolean;
}

/**
 * Loads the Ed25519 private key at `path`. With `create`, a missing key is generated and
 * written with mode 0600 in a 0700 folder; without it a missing key is an error, so a
 * mistyped path in factory.yaml never turns into a fresh, unknown key.
 */
export function loadOrCreateSigningKey(
  path: string,
  options: LoadSigningKeyOptions = {},
): SigningKey {
  if (!existsSync(path)) {
    if (!options.create) {
      throw new WorkError("signing-key-missing", `the audit signing key ${path} does not exist`, {
        hint: "factory.yaml's audit.signing_key names it; create it with `openssl genpkey -algorithm ed25519 -out <file>` (mode 0600), or remove the setting to use a key kept in the home",
      });
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    try {
      // `wx`: two processes making the key at once keep the first one's.
      writeFileSync(path, pem, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(path, "utf8"));
  } catch (error) {
    throw new WorkError(
      "signing-key-invalid",
      `cannot read the signing key ${path}: ${(error as Error).message}`,
      {
        hint: "it must be a PKCS8 PEM Ed25519 private key",
      },
    );
  }
  requireEd25519(privateKey, path);
  const publicKey = createPublicKey(privateKey);
  return {
    ...verifyingKey(publicKey),
    sign: (data) => sign(null, Buffer.from(data), privateKey).toString("base64"),
  };
}

import { createHash, randomBytes } from "node:crypto";

/** Every token starts so, so a leaked one is recognisable (and secret scanners can match it). */
export const TOKEN_PREFIX = "dft_";

/** Hex SHA-256 of a token's text: all the store ever keeps of it. */
export function hashToken(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** A fresh token: its id (safe to print and to revoke by), its text (shown once) and its hash. */
export function newToken(): { id: string; text: string; hash: string } {
  const text = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { id: `tok-${randomBytes(6).toString("hex")}`, text, hash: hashToken(text) };
}

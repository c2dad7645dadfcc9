/**
 * DSSE envelopes (github.com/secure-systems-lab/dsse): the signature covers the
 * pre-authentication encoding of the payload type and bytes, never the JSON around them.
 */
import { createHash } from "node:crypto";
import type { SigningKey, VerifyingKey } from "../signing/signing-key.js";

export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the payload bytes. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** `DSSEv1 <len(type)> <type> <len(body)> <body>`, lengths in bytes. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload,
  ]);
}

/** Signs `statement` (serialised as JSON) into an in-toto DSSE envelope. */
export function signEnvelope(statement: unknown, key: SigningKey): DsseEnvelope {
  const payload = Buffer.from(JSON.stringify(statement), "utf8");
  return {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: payload.toString("base64"),
    signatures: [{ keyid: key.keyId, sig: key.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload)) }],
  };
}

export type EnvelopeVerification =
  | { ok: true; keyid: string; statement: unknown; payloadSha256: string }
  | { ok: false; reason: string };

/** Whether one of the envelope's signatures is `key`'s over its PAE; the payload is parsed only then. */
export function verifyEnvelope(envelope: unknown, key: VerifyingKey): EnvelopeVerification {
  const e = envelope as Partial<DsseEnvelope> | null;
  if (!e || typeof e !== "object" || typeof e.payload !== "string" || !Array.isArray(e.signatures))
    return { ok: false, reason: "not a DSSE envelope (payloadType, payload, signatures)" };
  if (e.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return {
      ok: false,
      reason: `payloadType is ${String(e.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`,
    };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(e.payload))
    return { ok: false, reason: "the payload is not base64" };
  const payload = Buffer.from(e.payload, "base64");
  const message = pae(e.payloadType, payload);
  const mine = e.signatures.filter((s) => s?.keyid === key.keyId);
  if (mine.length === 0) {
    const ids = e.signatures.map((s) => String(s?.keyid)).join(", ") || "none";
    return { ok: false, reason: `no signature by key ${key.keyId} (signed by: ${ids})` };
  }
  if (!mine.some((s) => typeof s.sig === "string" && key.verify(message, s.sig)))
    return {
      ok: false,
      reason: `the signature by key ${key.keyId} does not verify: the envelope was altered`,
    };
  let statement: unknown;
  try {
    statement = JSON.parse(payload.toString("utf8"));
  } catch {
    return { ok: false, reason: "the signed payload is not JSON" };
  }
  return {
    ok: true,
    keyid: key.keyId,
    statement,
    payloadSha256: createHash("sha256").update(payload).digest("hex"),
  };
}

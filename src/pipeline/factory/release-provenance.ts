/**
 * The release's signed provenance: an in-toto statement in a DSSE envelope, written beside
 * the release stage's other files and recorded in the audit log by its digest.
 */
import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import { buildProvenance, signEnvelope } from "../../governance/index.js";
import { type FactoryDeps, nodeSubject, writeArtifact } from "./factory-deps.js";

export const PROVENANCE_ARTIFACT = "provenance.dsse.json";

/** Writes the envelope and audits `release.provenance` (once); returns a line for the stage's notes. */
export async function writeReleaseProvenance(
  deps: FactoryDeps,
  boltId: string,
  nodeId: string,
  stageDir: string,
): Promise<string> {
  try {
    const statement = await buildProvenance(deps.home, boltId);
    const key = deps.home.signingKey();
    const envelope = signEnvelope(statement, key);
    const text = `${JSON.stringify(envelope, null, 2)}\n`;
    writeArtifact(stageDir, PROVENANCE_ARTIFACT, text);
    const subject = nodeSubject(boltId, nodeId);
    const payloadSha256 = createHash("sha256")
      .update(Buffer.from(envelope.payload, "base64"))
      .digest("hex");
    const recorded = (await deps.home.store.readAudit()).some(
      (e) =>
        e.action === "release.provenance" &&
        e.subject === subject &&
        (e.data as { payloadSha256?: unknown }).payloadSha256 === payloadSha256,
    );
    if (!recorded)
      await deps.home.audit.append(deps.actor, "release.provenance", subject, {
        artifact: relative(deps.home.root, join(stageDir, PROVENANCE_ARTIFACT)),
        commit: statement.subject[0]?.digest.gitCommit ?? null,
        payloadSha256,
        keyid: key.keyId,
      });
    return `provenance signed by key ${key.keyId}`;
  } catch (error) {
    // The release on main stands; a missing provenance is reported, and `factory audit provenance` can make it.
    deps.onProgress?.(`⚠ provenance: ${(error as Error).message}`);
    return `no provenance: ${(error as Error).message}`;
  }
}

/** `factory audit provenance`: a release's signed in-toto statement, printed or verified. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../../common/index.js";
import {
  authorize,
  buildProvenance,
  type DsseEnvelope,
  type InTotoStatement,
  parseVerifyingKey,
  readVerifyingKey,
  signEnvelope,
  type VerifyingKey,
  verifyEnvelope,
} from "../../governance/index.js";
import type { Home } from "../../home/index.js";
import { type CliContext, type CommandOutcome, withHome } from "../context.js";

export interface ProvenanceOptions {
  out?: string;
  verify?: string;
  publicKey?: string;
}

export async function provenance(
  context: CliContext,
  bolt: string | undefined,
  options: ProvenanceOptions,
): Promise<CommandOutcome> {
  if (options.verify !== undefined) return verifyProvenance(context, bolt, options.verify, options);
  if (bolt === undefined) {
    throw new InputError("bolt-needed", "name the released bolt whose provenance to print", {
      hint: "factory audit provenance <bolt>, or --verify <envelope> to check one",
    });
  }
  const envelope = await withHome(context, async (home) => {
    await authorize(home, context.actor, "audit.export", `bolt:${bolt}`);
    return (
      storedEnvelope(home, bolt) ??
      signEnvelope(await buildProvenance(home, bolt), home.signingKey())
    );
  });
  const text = `${JSON.stringify(envelope, null, 2)}\n`;
  if (options.out === undefined) {
    if (context.json) return { exitCode: 0, json: envelope, text: "" };
    context.stdout.write(text);
    return { exitCode: 0, json: null, text: "" };
  }
  const out = resolve(context.cwd, options.out);
  writeFileSync(out, text);
  return {
    exitCode: 0,
    json: { ok: true, file: out, keyid: envelope.signatures[0]?.keyid ?? null },
    text: `wrote the provenance of bolt ${bolt} to ${out}`,
  };
}

/** The envelope the release stage wrote into its node's folder of the bolt's runs. */
function storedEnvelope(home: Home, bolt: string): DsseEnvelope | undefined {
  const runDir = join(home.root, ".factory", "runs", bolt);
  if (!existsSync(runDir)) return undefined;
  for (const node of readdirSync(runDir).sort()) {
    const path = join(runDir, node, "provenance.dsse.json");
    if (!existsSync(path)) continue;
    try {
      return JSON.parse(readFileSync(path, "utf8")) as DsseEnvelope;
    } catch {}
  }
  return undefined;
}

async function verifyProvenance(
  context: CliContext,
  bolt: string | undefined,
  file: string,
  options: ProvenanceOptions,
): Promise<CommandOutcome> {
  const path = resolve(context.cwd, file);
  let envelope: unknown;
  try {
    envelope = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new InputError(
      "envelope-unreadable",
      `cannot read the envelope ${path}: ${(error as Error).message}`,
      {
        hint: "pass a file written by `factory audit provenance <bolt> --out <file>`",
      },
    );
  }
  const key = options.publicKey
    ? readVerifyingKey(resolve(context.cwd, options.publicKey))
    : await withHome(context, async (home) => {
        await authorize(home, context.actor, "audit.verify", "audit:provenance");
        const found = homePublicKey(home);
        if (!found) {
          throw new InputError("no-public-key", "this home has no signing key to verify with", {
            hint: "pass --public-key <pem>",
          });
        }
        return found;
      });
  let result = verifyEnvelope(envelope, key);
  if (result.ok && bolt !== undefined) {
    const statement = result.statement as Partial<InTotoStatement>;
    const forBolt = statement.predicate?.buildDefinition?.internalParameters?.bolt;
    if (forBolt !== bolt)
      result = { ok: false, reason: `the envelope is for bolt ${String(forBolt)}, not ${bolt}` };
  }
  if (!result.ok) {
    return {
      exitCode: 1,
      json: { ok: false, file: path, key_id: key.keyId, reason: result.reason },
      text: `✗ ${file}: ${result.reason}`,
    };
  }
  const statement = result.statement as Partial<InTotoStatement>;
  const subject = statement.subject?.[0];
  return {
    exitCode: 0,
    json: {
      ok: true,
      file: path,
      key_id: result.keyid,
      payload_sha256: result.payloadSha256,
      bolt: statement.predicate?.buildDefinition?.internalParameters?.bolt ?? null,
      subject: subject ?? null,
    },
    text: `✓ ${file}: signed by key ${result.keyid}; ${subject?.name ?? "no subject"} at ${subject?.digest?.gitCommit ?? "?"}`,
  };
}

/**
 * The home's public key when its signing key exists; never creates one, so verifying a home
 * that has not signed anything yet leaves checkpoints unverified rather than making a key.
 */
export function homePublicKey(home: Home): VerifyingKey | undefined {
  const path = home.config.audit.signingKey;
  return existsSync(path) ? parseVerifyingKey(readFileSync(path, "utf8"), path) : undefined;
}

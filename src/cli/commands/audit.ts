import { once } from "node:events";
import { createWriteStream, existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../common/index.js";
import {
  type AuditAnchor,
  type AuditExportSummary,
  type AuditVerification,
  auditExportLines,
  authorize,
  parseAuditAnchor,
  readVerifyingKey,
  verifyAuditExport,
  verifyAuditLog,
} from "../../governance/index.js";
import { type CliContext, type CommandOutcome, withHome } from "../context.js";
import type { Register } from "../register.js";
import { homePublicKey, type ProvenanceOptions, provenance } from "./audit-provenance.js";

export const registerAudit: Register = (program, run) => {
  const audit = program.command("audit").description("the tamper-evident audit log");
  audit
    .command("verify")
    .description("prove the audit chain intact, or name the first bad entry")
    .option("--head <hash>", "a head hash anchored outside the home (`<hash>` or `<seq>:<hash>`)")
    .option("--file <export.jsonl>", "verify an export instead of the home's log (no home needed)")
    .option(
      "--public-key <pem>",
      "check checkpoint signatures with this key (default: the home's signing key, if it exists)",
    )
    .action((options: VerifyOptions, command: Command) =>
      run(command, (context) => verify(context, options)),
    );
  audit
    .command("key")
    .description("print the public half of the key that signs checkpoints and provenance")
    .option("--out <file>", "also write the public key PEM to this file")
    .action((options: { out?: string }, command: Command) =>
      run(command, (context) => printKey(context, options)),
    );
  audit
    .command("provenance")
    .argument("[bolt]", "the released bolt (with --verify: the bolt the envelope must be for)")
    .description("print a release's signed provenance (DSSE envelope), or verify one")
    .option("--out <file>", "write the envelope to this file instead of stdout")
    .option("--verify <envelope>", "verify this envelope file instead (exit 0 valid, 1 invalid)")
    .option("--public-key <pem>", "verify with this key (default: the home's signing key)")
    .action((bolt: string | undefined, options: ProvenanceOptions, command: Command) =>
      run(command, (context) => provenance(context, bolt, options)),
    );
  audit
    .command("export")
    .description("write the audit log as JSON Lines, ending with its head")
    .option("--out <file>", "write to this file instead of stdout")
    .option("--force", "overwrite --out if it exists")
    .action((options: { out?: string; force?: boolean }, command: Command) =>
      run(command, (context) => exportLog(context, options)),
    );
};

interface VerifyOptions {
  head?: string;
  file?: string;
  publicKey?: string;
}

async function verify(context: CliContext, options: VerifyOptions): Promise<CommandOutcome> {
  let anchor: AuditAnchor | undefined;
  if (options.head !== undefined) {
    anchor = parseAuditAnchor(options.head);
    if (!anchor) {
      throw new InputError("bad-head", `--head "${options.head}" is not a head hash`, {
        hint: "pass 64 hex characters, optionally prefixed by the entry's number: 42:<hash>",
      });
    }
  }
  const given = options.publicKey
    ? readVerifyingKey(resolve(context.cwd, options.publicKey))
    : undefined;
  const withAnchor = anchor ? { anchor } : {};
  const result = options.file
    ? await verifyAuditExport(resolve(context.cwd, options.file), {
        ...withAnchor,
        ...(given ? { keys: [given] } : {}),
      })
    : await withHome(context, async (home) => {
        await authorize(home, context.actor, "audit.verify", "audit");
        const key = given ?? homePublicKey(home);
        return verifyAuditLog(home.store, { ...withAnchor, ...(key ? { keys: [key] } : {}) });
      });
  return { exitCode: result.ok ? 0 : 1, json: result, text: describe(result, options.file) };
}

function describe(result: AuditVerification, file: string | undefined): string {
  const what = file ? `audit export ${file}` : "audit log";
  const cp = result.checkpoints;
  const signed =
    cp.count === 0
      ? "no signed checkpoints"
      : cp.key_id === null
        ? `${cp.count} checkpoints, signatures unverified (no key: pass --public-key)`
        : `${cp.verified} of ${cp.count} checkpoints signed by key ${cp.key_id}, through entry ${cp.signed_through}`;
  if (result.ok) {
    const anchored = result.anchored ? ", anchored head found" : "";
    return `✓ ${what} intact: ${result.count} entries, head ${result.head.seq}:${result.head.hash}${anchored}\n  ${signed}`;
  }
  const where = result.break.line === undefined ? "" : ` (line ${result.break.line})`;
  return `✗ ${what} broken at entry ${result.break.seq}${where}: ${result.break.message} [${result.break.fault}]\n  ${result.count} entries before it verified`;
}

async function exportLog(
  context: CliContext,
  options: { out?: string; force?: boolean },
): Promise<CommandOutcome> {
  if (options.out === undefined && context.json) {
    throw new InputError(
      "json-needs-out",
      "--json prints a summary on stdout, so the export needs --out <file>",
    );
  }
  const out = options.out === undefined ? undefined : resolve(context.cwd, options.out);
  if (out && existsSync(out) && !options.force) {
    throw new InputError("export-exists", `${out} already exists`, {
      hint: "choose another file, or pass --force to overwrite it",
    });
  }
  let summary: AuditExportSummary | undefined;
  await withHome(context, async (home) => {
    await authorize(home, context.actor, "audit.export", "audit");
    await home.audit.append(context.actor, "audit.export", out ? `file:${out}` : "stdout", {});
    const sink = out ? createWriteStream(out, { flags: "w" }) : undefined;
    for await (const line of auditExportLines(home.store, (s) => {
      summary = s;
    })) {
      if (sink) {
        if (!sink.write(`${line}\n`)) await once(sink, "drain");
      } else context.stdout.write(`${line}\n`);
    }
    if (sink) {
      sink.end();
      await once(sink, "finish");
    }
  });
  const head = summary?.head ?? { seq: 0, hash: "" };
  const count = summary?.count ?? 0;
  if (!out) {
    context.progress(`exported ${count} entries, head ${head.seq}:${head.hash}`);
    return { exitCode: 0, json: null, text: "" };
  }
  return {
    exitCode: 0,
    json: { ok: true, file: out, count, head },
    text: `exported ${count} entries to ${out}\nhead ${head.seq}:${head.hash} (check it later with \`factory audit verify --file ${options.out} --head ${head.seq}:${head.hash}\`)`,
  };
}

async function printKey(context: CliContext, options: { out?: string }): Promise<CommandOutcome> {
  const { key, path } = await withHome(context, async (home) => {
    await authorize(home, context.actor, "read", "audit:key");
    return { key: home.signingKey(), path: home.config.audit.signingKey };
  });
  const out = options.out === undefined ? undefined : resolve(context.cwd, options.out);
  if (out) writeFileSync(out, key.publicKeyPem);
  return {
    exitCode: 0,
    json: {
      key_id: key.keyId,
      public_key: key.publicKeyPem,
      private_key_path: path,
      ...(out ? { file: out } : {}),
    },
    text: out
      ? `wrote the public key ${key.keyId} to ${out}; keep a copy outside the home and verify with \`factory audit verify --public-key ${options.out}\``
      : key.publicKeyPem.trimEnd(),
  };
}

/**
 * A release's provenance as an in-toto Statement v1 with a SLSA provenance v1 predicate: the
 * merge commit on main is the subject; the intent, pipeline, policies, agents and models
 * that made it are what it was built from. Everything is read from the bolt's audit trail,
 * so the statement can be made again later and comes out the same.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, relative } from "node:path";
import { InputError, WorkError } from "../../common/index.js";
import type { AuditEntry, Store } from "../../store/index.js";

export const PROVENANCE_BUILD_TYPE = "https://darkfactory.dev/bolt/v1";
export const PROVENANCE_BUILDER = "https://darkfactory.dev/factory";

/** The parts of an opened home provenance reads (a `Home` has them all). */
export interface ProvenanceHome {
  root: string;
  store: Store;
  config: {
    product: { repo: string; mainBranch: string };
    agents: Partial<Record<string, Record<string, unknown> & { driver: string }>>;
  };
}

export interface BuildProvenanceInput {
  /** The factory's version in the builder id; default: this package's. */
  version?: string;
}

export interface ResourceDescriptor {
  name: string;
  uri?: string;
  digest?: Record<string, string>;
  annotations?: Record<string, unknown>;
}

export interface InTotoStatement {
  _type: "https://in-toto.io/Statement/v1";
  subject: { name: string; digest: { gitCommit: string } }[];
  predicateType: "https://slsa.dev/provenance/v1";
  predicate: {
    buildDefinition: {
      buildType: string;
      externalParameters: {
        intent: { path: string; sha256: string };
        pipeline: { path: string; sha256: string };
      };
      internalParameters: { bolt: string };
      resolvedDependencies: ResourceDescriptor[];
    };
    runDetails: {
      builder: { id: string };
      metadata: { invocationId: string; startedOn: string; finishedOn: string };
    };
  };
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const PAGE = 1_000;

/** Builds the statement for a released bolt; a bolt with no release is a WorkError. */
export async function buildProvenance(
  home: ProvenanceHome,
  boltId: string,
  input: BuildProvenanceInput = {},
): Promise<InTotoStatement> {
  const bolt = await home.store.getBolt(boltId);
  if (!bolt) {
    throw new InputError("unknown-bolt", `there is no bolt ${boltId}`, {
      hint: "`factory status` lists the bolts",
    });
  }
  const trail = await boltTrail(home.store, boltId);
  const release = trail.find((e) => e.action === "release.merge");
  const commit = (release?.data as { commit?: unknown } | undefined)?.commit;
  if (!release || typeof commit !== "string") {
    throw new WorkError("not-released", `bolt ${boltId} has no release, so it has no provenance`, {
      hint: "provenance is made for bolts whose factory.release stage merged into main",
    });
  }
  const { repo, mainBranch } = home.config.product;
  const main = String((release.data as { main?: unknown }).main ?? mainBranch);
  const intent = intentOf(home, trail, bolt.seed);
  const pipeline = { path: homePath(home.root, bolt.pipeline), sha256: sha256(bolt.source) };
  const started = trail.find((e) => e.action === "bolt.start")?.ts;

  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: `git+${repo}@refs/heads/${main}`, digest: { gitCommit: commit } }],
    predicateType: "https://slsa.dev/provenance/v1",
    predicate: {
      buildDefinition: {
        buildType: PROVENANCE_BUILD_TYPE,
        externalParameters: { intent, pipeline },
        internalParameters: { bolt: boltId },
        resolvedDependencies: [
          { name: intent.path, digest: { sha256: intent.sha256 } },
          { name: pipeline.path, digest: { sha256: pipeline.sha256 } },
          ...policies(home.root),
          ...agents(home),
          ...models(trail),
        ],
      },
      runDetails: {
        builder: { id: `${PROVENANCE_BUILDER}@${input.version ?? factoryVersion()}` },
        metadata: {
          invocationId: boltId,
          startedOn: started ?? new Date(bolt.createdAt).toISOString(),
          // The release is where the build ends; later stages do not change what was built.
          finishedOn: release.ts,
        },
      },
    },
  };
}

/** The bolt's own audit entries, in order. */
async function boltTrail(store: Store, boltId: string): Promise<AuditEntry[]> {
  const subject = `bolt:${boltId}`;
  const found: AuditEntry[] = [];
  for (let after = 0; ; ) {
    const page = await store.readAudit({ afterSeq: after, limit: PAGE });
    for (const e of page)
      if (e.subject === subject || e.subject.startsWith(`${subject}/`)) found.push(e);
    const last = page.at(-1);
    if (page.length < PAGE || !last) return found;
    after = last.seq;
  }
}

/** The intent as intake read it (its digest then), else the file named in the bolt's seed as it is now. */
function intentOf(
  home: ProvenanceHome,
  trail: AuditEntry[],
  seed: Record<string, unknown>,
): { path: string; sha256: string } {
  const intake = trail.find((e) => e.action === "intent.intake")?.data as
    | { file?: unknown; sha256?: unknown }
    | undefined;
  if (typeof intake?.file === "string" && typeof intake.sha256 === "string")
    return { path: homePath(home.root, intake.file), sha256: intake.sha256 };
  const file = seed["factory.intent.file"];
  if (typeof file !== "string" || file === "") return { path: "", sha256: sha256("") };
  const absolute = isAbsolute(file) ? file : join(home.root, file);
  return {
    path: homePath(home.root, file),
    sha256: existsSync(absolute) ? sha256(readFileSync(absolute)) : "",
  };
}

function policies(root: string): ResourceDescriptor[] {
  const dir = join(root, "policies");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({
      name: `policies/${f}`,
      digest: { sha256: sha256(readFileSync(join(dir, f))) },
    }));
}

/** Agents as factory.yaml configures them: driver, provider, model, command; never a URL or key name. */
function agents(home: ProvenanceHome): ResourceDescriptor[] {
  return Object.entries(home.config.agents).flatMap(([role, agent]) => {
    if (!agent) return [];
    const annotations: Record<string, unknown> = { driver: agent.driver };
    for (const k of ["provider", "model", "command"])
      if (agent[k] !== undefined) annotations[k] = agent[k];
    const descriptor: ResourceDescriptor = { name: `agent:${role}`, annotations };
    if (typeof agent.script === "string") {
      const file = isAbsolute(agent.script) ? agent.script : join(home.root, agent.script);
      annotations.script = homePath(home.root, agent.script);
      if (existsSync(file)) descriptor.digest = { sha256: sha256(readFileSync(file)) };
    }
    return [descriptor];
  });
}

/** The models the bolt's agents actually called, from its `agent.model_call` entries. */
function models(trail: AuditEntry[]): ResourceDescriptor[] {
  const seen = new Map<string, ResourceDescriptor>();
  for (const e of trail) {
    if (e.action !== "agent.model_call") continue;
    const { provider, model } = e.data as { provider?: unknown; model?: unknown };
    if (typeof model !== "string") continue;
    const name = `model:${typeof provider === "string" ? `${provider}/` : ""}${model}`;
    if (!seen.has(name)) seen.set(name, { name, annotations: { calls: 0 } });
    const annotations = seen.get(name)?.annotations as { calls: number };
    annotations.calls++;
  }
  return [...seen.values()];
}

/** A path inside the home as relative to it; one outside as given. */
function homePath(root: string, path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(root, path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

function factoryVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)("../../../package.json") as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

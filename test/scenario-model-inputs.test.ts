// The holdout stays out of the model (DESIGN §4, §6): `factory demo`'s bolt, in-process, with
// the builder as the llm driver talking to the anthropic twin. Its second attempt passes the
// tests but not the scenarios, so the bolt goes back to build with the scenarios' feedback and
// the model hears it. No request the model received, and no audited model call, may hold any
// scenario's text, nor anything the product answered or was sent in the scenario trajectories.
// Each negative check has a control: the strings are really in the scenarios and artifacts,
// and the requests really hold the feedback and the intent.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { cassetteFromScript, loadAgentScript } from "../src/agents/index.js";
import { verifyAuditLog } from "../src/governance/index.js";
import { type Home, homeLayout, initHome, openHome } from "../src/home/index.js";
import {
  type BoltLogEntry,
  type BoltResult,
  boltReport,
  readBoltLog,
  runIntent,
  type SatisfactionPoint,
  satisfactionHistory,
} from "../src/pipeline/index.js";
import type { SatisfactionReport, Trajectory } from "../src/scenarios/index.js";
import { generateInputs } from "../src/scenarios/run/inputs.js";
import type { Scenario } from "../src/scenarios/scenario-schema.js";
import { anthropicTwin, createTwin, type ServedTwin, type Twin } from "../src/twins/index.js";

const INTENT = "intents/refunds.md";
const MARKER = "Holdout scenarios were satisfied in";
/** Shorter strings are too generic to mean a leak. */
const MIN = 6;

/** A string to look for, and where in the scenarios it came from. */
interface Needle {
  text: string;
  from: string;
}

let work: string;
let root: string;
let home: Home;
let twin: Twin;
let served: ServedTwin;
let bolt: BoltResult;
let log: BoltLogEntry[];
let history: SatisfactionPoint[];
/** What the builders may legitimately see: the intent, the product, the scripted agents. */
let allowed: string;
let scenarioFiles: string[];
let scenarioText: string;
/** Every request the model received: raw, and with its JSON's strings decoded. */
let requests: string[];
let ms: number;

beforeAll(async () => {
  const started = Date.now();
  work = mkdtempSync(join(tmpdir(), "df-model-inputs-"));
  // The sandbox's user must reach the worktrees inside; mkdtemp makes 0700.
  chmodSync(work, 0o755);
  const laid = await initHome({ dir: work, example: "acme", actor: "user:test", env: process.env });
  root = laid.root;
  await laid.home.close();
  const product = laid.product as string;
  allowed = [
    readFileSync(join(root, INTENT), "utf8"),
    ...filesUnder(product).map((f) => readFileSync(f, "utf8")),
    ...filesUnder(join(root, "agents")).map((f) => readFileSync(f, "utf8")),
  ].join("\n");
  scenarioFiles = filesUnder(join(root, "scenarios"));
  scenarioText = scenarioFiles.map((f) => readFileSync(f, "utf8")).join("\n");

  // As serveDemoModel does: the anthropic twin plays builder.yaml as a cassette, and
  // factory.yaml's builder is the llm driver pointed at it.
  const config = join(root, homeLayout.config);
  const document = parseDocument(readFileSync(config, "utf8"));
  const script = resolve(root, String(document.getIn(["agents", "builder", "script"])));
  twin = createTwin(anthropicTwin, {
    seed: "demo",
    options: { cassette: cassetteFromScript(loadAgentScript(script)) },
  });
  served = await twin.serve();
  document.setIn(
    ["agents", "builder"],
    document.createNode({
      driver: "llm",
      provider: "anthropic",
      model: "claude-sonnet-5-5",
      base_url: served.url,
    }),
  );
  writeFileSync(config, document.toString());
  // As the demo's default: low risk, so no approval gate stops the bolt before release.
  const intentFile = join(root, INTENT);
  writeFileSync(intentFile, readFileSync(intentFile, "utf8").replace(/^risk: \w+$/m, "risk: low"));

  home = openHome(root, { env: process.env });
  bolt = await runIntent(home, intentFile, { actor: "user:test", env: process.env });
  log = await readBoltLog(home, bolt.boltId);
  history = await satisfactionHistory(home, bolt.boltId);
  requests = twin.journal().map((entry) => {
    const raw = `${entry.method} ${entry.path}${entry.query}\n${JSON.stringify(entry.headers)}\n${entry.body}`;
    return `${raw}\n${stringsOf(tryJson(entry.body)).join("\n")}`;
  });
  ms = Date.now() - started;
}, 180_000);

afterAll(async () => {
  await home?.close();
  await served?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the model's inputs in a bolt that goes back to build on its scenarios", () => {
  it("runs the bolt through the scenarios twice, the first time back to build, to release", async () => {
    const nodes = Object.fromEntries(
      (await boltReport(home, bolt.boltId)).nodes.map((n) => [n.id, n]),
    );
    expect(nodes.build?.visits).toBe(3);
    expect(nodes.scenarios?.visits).toBe(2);
    expect(history).toHaveLength(2);
    expect(history[0]?.passed).toBe(false);
    expect(history[0]?.feedback).toContain(MARKER);
    expect((await verifyAuditLog(home.store)).ok).toBe(true);
    console.info(
      `bolt ${bolt.boltId} ${bolt.status}: ${requests.length} model requests in ${ms} ms`,
    );
    const last = scenarioFailures(2);
    if (bolt.status === "succeeded") {
      expect(history[1]?.passed).toBe(true);
      expect(nodes.release?.status).toBe("success");
      return;
    }
    // The one way the good build may fail, and not this test's business: stripe-faults' flaky
    // profile fails Stripe's POST /v1/* one time in ten, which its payment step (expecting
    // 201) does not forgive, so about one bolt in ten goes back a third time and stops.
    const injected = (f: (typeof last)[number]) =>
      f.scenario === "stripe-faults" &&
      f.faults.endsWith("stripe-flaky.yaml") &&
      JSON.stringify(f.evidence).includes("The twin injected this error");
    const why = `${JSON.stringify(bolt.outcome)}\n${JSON.stringify(last, null, 2)}`;
    expect(last.length > 0 && last.every(injected), why).toBe(true);
    expect(bolt.outcome.failure_reason, why).toMatch(/max_visits=3/);
  });

  it("controls: the model did hear the feedback, the intent and its own earlier work", () => {
    expect(requests.length).toBeGreaterThan(10);
    const feedback = history[0]?.feedback as string;
    expect(requests.filter((r) => r.includes(MARKER)).length).toBeGreaterThan(0);
    // Word for word, what the scenarios stage told the builders.
    expect(requests.some((r) => r.includes(feedback))).toBe(true);
    expect(requests.some((r) => r.includes("amount_exceeds_refundable"))).toBe(true);
    // The code its first attempt wrote (builder.yaml), sent back to it in the conversation.
    expect(requests.some((r) => r.includes("createRefund(config, refunds, req, res)"))).toBe(true);
    // The search the negative checks use finds what is there.
    expect(leaks([{ text: MARKER, from: "marker" }], requests).length).toBeGreaterThan(0);
    // The audit keeps one model_call per request the twin answered.
    expect(modelCalls()).toHaveLength(requests.length);
  });

  it("holds no scenario text in any request the model received", () => {
    const needles = scenarioNeedles();
    // Control: what is looked for is non-empty, found in the scenario files, and covers what
    // the scenarios hold: ids, titles, step names, paths, credentials, inputs, rubric, faults.
    expect(needles.length).toBeGreaterThan(40);
    for (const needle of needles)
      expect(inScenarios(needle), `${needle.from}: ${needle.text}`).toBe(true);
    const verbatim = needles.filter((n) => !n.from.startsWith("request"));
    expect(leaks(verbatim, [scenarioText.replace(/\s+/g, " ")])).toHaveLength(verbatim.length);
    const texts = new Set(needles.map((n) => n.text));
    for (const expected of [
      "refund-happy-path",
      "stripe-faults",
      "A retried refund makes one refund",
      "a customer Stripe knows",
      "pm_card_visa",
      "sk_test_scenario",
      "Bearer sk_test_scenario",
      "xoxb-scenario",
      "ana@example.com",
      "faults/stripe-flaky.yaml",
      "{{twins.stripe.url}}",
      "idem_",
      "$.payment_id",
    ])
      expect(texts, expected).toContain(expected);
    expect(needles.some((n) => n.from.startsWith("rubric"))).toBe(true);
    expect(needles.some((n) => n.from.startsWith("input"))).toBe(true);
    // The exclusion is computed: what the intent also says is not looked for.
    expect(texts).not.toContain("POST /refunds");
    console.info(`${needles.length} scenario strings checked against ${requests.length} requests`);

    expect(leaks(needles, requests)).toEqual([]);
    // A generated idempotency key has the spec's prefix and letters after it.
    expect(requests.filter((r) => /idem_[A-Za-z0-9]/.test(r))).toEqual([]);
  });

  it("holds no scenario text in the audited model calls, nor in anything else the builder did", () => {
    const needles = scenarioNeedles();
    const calls = modelCalls();
    expect(calls.length).toBeGreaterThan(0);
    expect(
      leaks(
        needles,
        calls.map((e) => JSON.stringify(e)),
      ),
    ).toEqual([]);
    // Control: the builder's audit entries do hold what it read and ran.
    const builder = log.filter((e) => e.action.startsWith("agent.")).map((e) => JSON.stringify(e));
    expect(builder.some((e) => e.includes("npm test"))).toBe(true);
    expect(leaks(needles, builder)).toEqual([]);
  });

  it("holds nothing the product answered or was sent in the scenario trajectories", () => {
    const trajectories = JSON.parse(
      readFileSync(join(stageDir(), "trajectories.visit-1.json"), "utf8"),
    ) as Trajectory[];
    const observed = trajectories.flatMap((t) =>
      t.steps.flatMap((step) =>
        stringsOf(step.observation).map((text) => ({
          text,
          from: `${t.scenario} step ${step.index}`,
        })),
      ),
    );
    // The inputs the runner drew from each trajectory's seed: the same generator, the same seed.
    const scenarios = new Map(
      scenarioFiles
        .filter((f) => !f.includes("/faults/"))
        .map((f) => {
          const s = parse(readFileSync(f, "utf8")) as Scenario;
          return [s.id, s];
        }),
    );
    const drawn = trajectories.map((t) => ({
      t,
      inputs: generateInputs(scenarios.get(t.scenario)?.inputs ?? {}, t.seed),
    }));
    const inputs = drawn.flatMap(({ t, inputs }) =>
      Object.entries(inputs).map(([name, value]) => ({
        text: String(value),
        from: `${t.scenario} input ${name}`,
      })),
    );
    const seeds = trajectories.map((t) => ({ text: t.seed, from: `${t.scenario} seed` }));
    const needles = distinct([...observed, ...inputs, ...seeds]).filter(notAllowed);

    // Controls: the trajectories ran, the product answered with ids, and the regenerated
    // inputs are the runner's own: the amount drawn is the amount the product charged (where
    // the payment went through: under the flaky fault profile Stripe may have refused it).
    expect(trajectories).toHaveLength(7);
    const ids = needles.filter((n) => /^(pi|re|cus|idem)_[A-Za-z0-9]{6,}$/.test(n.text));
    const charged = drawn.flatMap(({ t, inputs }) => {
      const seen = t.steps.find((s) => s.name === "a captured payment")?.observation as
        | { status?: number; body?: { id?: string; amount?: number } }
        | undefined;
      return seen?.status === 201 ? [{ t, inputs, body: seen.body }] : [];
    });
    expect(charged.length).toBeGreaterThanOrEqual(6);
    for (const { t, inputs, body } of charged) {
      expect(body?.amount, t.scenario).toBe(inputs.amount);
      expect(ids.map((n) => n.text)).toContain(body?.id);
    }
    expect(ids.filter((n) => n.text.startsWith("idem_")).length).toBeGreaterThanOrEqual(7);
    // The Stripe twin's words the product passed on, which the scenarios saw.
    expect(needles.some((n) => n.text.includes("API key"))).toBe(true);
    const artifact = readFileSync(join(stageDir(), "trajectories.visit-1.json"), "utf8");
    const recorded = needles.filter((n) => !n.from.includes(" input "));
    expect(leaks(recorded, [artifact])).toHaveLength(recorded.length);
    console.info(
      `${needles.length} trajectory strings (${ids.length} ids) checked against ${requests.length} requests`,
    );

    expect(leaks(needles, requests)).toEqual([]);
    expect(
      leaks(
        needles,
        modelCalls().map((e) => JSON.stringify(e)),
      ),
    ).toEqual([]);
  });
});

/** The failed trajectories of one scenarios run, from its report. */
function scenarioFailures(visit: number) {
  const file = join(stageDir(), `satisfaction.visit-${visit}.json`);
  const report = JSON.parse(readFileSync(file, "utf8")) as SatisfactionReport;
  return report.scenarios.flatMap((s) => s.failures.map((f) => ({ scenario: s.id, ...f })));
}

/** The scenarios stage's folder in the bolt's run folder, where its artifacts are written. */
function stageDir(): string {
  return join(root, ".factory", "runs", bolt.boltId, "scenarios");
}

function modelCalls(): BoltLogEntry[] {
  return log.filter((entry) => entry.action === "agent.model_call");
}

/**
 * The distinctive strings of every scenario file and fault profile: each string value (ids,
 * titles, step names, paths, headers, bodies, expectations, env, rubric), each clause of the
 * longer ones, comments, method-and-path pairs, input generator specs; less what the intent,
 * the product or the scripted agents also say, and anything under MIN characters.
 */
function scenarioNeedles(): Needle[] {
  const found: Needle[] = [];
  const specs = new Set<string>();
  for (const file of scenarioFiles) {
    const name = file.slice(join(root, "scenarios").length + 1);
    const text = readFileSync(file, "utf8");
    const add = (raw: string, from: string) => {
      const value = raw.trim();
      found.push({ text: value, from: `${from} (${name})` });
      if (/\s/.test(value))
        for (const clause of value.split(/[,.;:()]\s+|\.$/))
          found.push({ text: clause.trim(), from: `${from} clause (${name})` });
    };
    const data = parse(text) as unknown;
    walk(data, [], (value, path) => {
      const key = path.join(".");
      add(
        value,
        key.startsWith("rubric") ? "rubric" : key.includes("inputs") ? `input ${key}` : key,
      );
    });
    // What YAML reads as comments is scenario text too (a title's "#billing" among it).
    for (const line of text.split("\n")) {
      const comment = /(?:^|\s)#\s?(.+)$/.exec(line)?.[1];
      if (comment) add(comment.trim(), "comment");
      const title = /^title:\s*(.+)$/.exec(line)?.[1];
      if (title) add(title.trim(), "title as written");
    }
    walk(
      data,
      [],
      () => {},
      (node, path) => {
        if (typeof node.method === "string" && typeof node.path === "string")
          found.push({ text: `${node.method} ${node.path}`, from: `request (${name})` });
        // Names the scenario chose (headers, body fields, env, captures, JSONPaths), not the
        // format's own keywords.
        const at = path.at(-1) ?? "";
        if (NAMED.has(at) || at === "jsonpath")
          for (const key of Object.keys(node))
            found.push({ text: key, from: `${path.join(".")} key (${name})` });
      },
    );
    // Generator specs, whatever their length: `idem_` is what every generated key starts with.
    const inputs = (data as { inputs?: Record<string, Record<string, unknown>> }).inputs ?? {};
    for (const [input, spec] of Object.entries(inputs))
      if (typeof spec.id === "string") {
        specs.add(spec.id);
        found.push({ text: spec.id, from: `input ${input} spec (${name})` });
      }
  }
  return distinct(found).filter((n) => unseen(n) && (n.text.length >= MIN || specs.has(n.text)));
}

/** Where a scenario's keys are its own words. */
const NAMED = new Set(["env", "headers", "body", "form", "json", "capture", "inputs", "contains"]);

/** Nowhere in what the builders are given. */
function unseen(needle: Needle): boolean {
  return !allowed.toLowerCase().includes(needle.text.toLowerCase());
}

/** A string the builders may not see: long enough, and nowhere in what they are given. */
function notAllowed(needle: Needle): boolean {
  return needle.text.length >= MIN && unseen(needle);
}

function inScenarios(needle: Needle): boolean {
  if (needle.from.startsWith("request")) {
    const [method, ...path] = needle.text.split(" ");
    return scenarioText.includes(method as string) && scenarioText.includes(path.join(" "));
  }
  return scenarioText.replace(/\s+/g, " ").includes(needle.text.replace(/\s+/g, " "));
}

/** Each needle found in a haystack, with where it came from and which haystack held it. */
function leaks(needles: readonly Needle[], haystacks: readonly string[]): string[] {
  const lower = haystacks.map((h) => h.toLowerCase());
  return needles.flatMap((needle) =>
    lower.flatMap((h, i) =>
      h.includes(needle.text.toLowerCase()) ? [`${needle.from}: "${needle.text}" in #${i}`] : [],
    ),
  );
}

function walk(
  value: unknown,
  path: string[],
  onString: (value: string, path: string[]) => void,
  onObject?: (node: Record<string, unknown>, path: string[]) => void,
): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walk(item, [...path, String(i)], onString, onObject);
  } else if (value !== null && typeof value === "object") {
    onObject?.(value as Record<string, unknown>, path);
    for (const [key, item] of Object.entries(value)) walk(item, [...path, key], onString, onObject);
  } else if (typeof value === "string") onString(value, path);
}

/** Every string in a JSON value, keys included. */
function stringsOf(value: unknown): string[] {
  const out: string[] = [];
  walk(
    value,
    [],
    (s) => out.push(s),
    (node) => out.push(...Object.keys(node)),
  );
  return out;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function distinct(needles: Needle[]): Needle[] {
  const seen = new Map<string, Needle>();
  for (const n of needles) if (n.text && !seen.has(n.text)) seen.set(n.text, n);
  return [...seen.values()];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (e) =>
        e.isFile() &&
        !`${e.parentPath}/`.includes("/.git/") &&
        !e.parentPath.includes("node_modules"),
    )
    .map((e) => join(e.parentPath, e.name));
}

/**
 * The holdout scenario runner's throughput: trajectories per hour of one HTTP scenario (a
 * Stripe customer set up through the twin, a payment the product checks against the twin, the
 * twin's state read back) against a tiny node:http product in the real sandbox, in `reused`
 * and `fresh` isolation. Then the runner's own cost per http step: the same POST sent plainly
 * with node:http and a keep-alive agent to the same product, started the same way, in the
 * same run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { type LoadedScenario, runScenarios, scenarioSchema } from "../src/scenarios/index.js";
import { startProduct } from "../src/scenarios/run/product.js";
import { availableTwins, createTwin, type TwinDefinition } from "../src/twins/index.js";
import { createSandbox, grantWorktreeAccess, type Sandbox } from "../src/workspace/index.js";
import { median } from "./support.js";

const REUSED = 400;
const FRESH = 20;
const PARALLEL = 2;
const OVERHEAD_ROUNDS = 3;
const OVERHEAD_TRAJECTORIES = 100;
const DIRECT_REQUESTS = 200;
const TARGET_PER_HOUR = 60_000;

// A unique name, so the product's processes can be found in /proc for their memory.
const PRODUCT_FILE = `bench-product-${process.pid}.mjs`;

const PRODUCT = `import { Agent, createServer, request } from "node:http";
const stripe = process.env.STRIPE_BASE_URL;
const key = process.env.STRIPE_API_KEY;
const agent = new Agent({ keepAlive: true });
let paid = 0;
const customer = (id) =>
  new Promise((resolve, reject) => {
    const req = request(\`\${stripe}/v1/customers/\${encodeURIComponent(id)}\`, {
      agent,
      headers: { authorization: \`Bearer \${key}\` },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => { text += chunk; });
      res.on("end", () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
createServer((req, res) => {
  const send = (status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.method === "GET" && req.url === "/health") return send(200, { ok: true });
  if (req.method !== "POST" || req.url !== "/payments") return send(404, { error: "not found" });
  let text = "";
  req.setEncoding("utf8");
  req.on("data", (chunk) => { text += chunk; });
  req.on("end", async () => {
    try {
      const { customer: id, amount } = JSON.parse(text);
      const found = await customer(id);
      if (found.status !== 200) return send(402, { error: "no such customer" });
      send(201, { id: \`pay_\${++paid}\`, customer: found.body.id, email: found.body.email, amount });
    } catch (error) {
      send(500, { error: String(error) });
    }
  });
}).listen(Number(process.env.PORT), "127.0.0.1");
`;

const SCENARIO = `id: bench-payment
title: A payment for a customer Stripe knows
requirements: [REQ-1]
product:
  start: node ${PRODUCT_FILE}
  port: 3000
  ready: /health
  env:
    PORT: "{{product.port}}"
    STRIPE_BASE_URL: "{{twins.stripe.url}}"
    STRIPE_API_KEY: sk_test_scenario
twins:
  - { name: stripe }
inputs:
  amount: { int: [500, 5000] }
  email: { pick: [ana@example.com, bo@example.com, cy@example.com] }
steps:
  - name: a customer Stripe knows
    twin:
      twin: stripe
      request:
        path: /v1/customers
        headers: { authorization: Bearer sk_test_scenario }
        form: { email: "{{email}}" }
      capture: { customer: $.id }
  - name: a payment
    http:
      method: POST
      path: /payments
      body: { amount: "{{amount}}", customer: "{{customer}}" }
      expect: { status: 201, jsonpath: { $.customer: { equals: "{{customer}}" } } }
      capture: { payment: $.id }
  - name: Stripe still knows the customer
    twin:
      twin: stripe
      expect: { path: "customers.{{customer}}.email", value: { equals: "{{email}}" } }
`;

interface Context {
  scenarios: LoadedScenario[];
  twins: Map<string, TwinDefinition<unknown>>;
  worktree: string;
  sandbox: Sandbox;
}

interface Measured {
  trajectories: number;
  satisfied: number;
  satisfaction: number;
  wallMs: number;
  /** Each trajectory's own time as the runner records it, bar a reused lane's first. */
  trajectoryMs: number[];
  /** A reused lane's first trajectories, which also start its product. */
  laneFirstMs: number[];
  /** The http step's time in each satisfied trajectory, bar a reused lane's first. */
  httpStepMs: number[];
  /** The twin steps' time summed, per trajectory as above. */
  twinStepsMs: number[];
  failures: string[];
  /** The live product processes' resident memory summed, the most seen during the run, bytes; 0 unsampled. */
  productRss: number;
}

async function measureRun(
  context: Context,
  isolation: "reused" | "fresh",
  repeat: number,
  parallel: number,
  sampleMemory = true,
): Promise<Measured> {
  let productRss = 0;
  // Sampled each second while the products run (reading /proc is not free), not at all
  // where per-step times are what is measured.
  const sampler = sampleMemory
    ? setInterval(() => {
        productRss = Math.max(productRss, productProcessesRss());
      }, 1000)
    : undefined;
  const started = performance.now();
  const { report, trajectories } = await runScenarios({
    ...context,
    repeat,
    parallel,
    isolation,
    threshold: 1,
    seed: `bench/${isolation}/${repeat}/${parallel}`,
  }).finally(() => clearInterval(sampler));
  const wallMs = performance.now() - started;
  // Trajectories are sorted by index, and lane i of a reused run starts with trajectory i.
  const firsts = isolation === "reused" ? parallel : 0;
  const steady = trajectories.filter((t) => t.index >= firsts);
  const steadySatisfied = steady.filter((t) => t.verdict === "satisfied");
  return {
    trajectories: trajectories.length,
    satisfied: trajectories.filter((t) => t.verdict === "satisfied").length,
    satisfaction: report.satisfaction,
    wallMs,
    trajectoryMs: steady.map((t) => t.ms),
    laneFirstMs: trajectories.filter((t) => t.index < firsts).map((t) => t.ms),
    httpStepMs: steadySatisfied.flatMap((t) =>
      t.steps.filter((s) => s.kind === "http").map((s) => s.ms),
    ),
    twinStepsMs: steadySatisfied.map((t) =>
      t.steps.filter((s) => s.kind === "twin").reduce((sum, s) => sum + s.ms, 0),
    ),
    failures: [
      ...new Set(
        trajectories.flatMap((t) => (t.failure ? [`${t.failure.kind}: ${t.failure.message}`] : [])),
      ),
    ],
    productRss,
  };
}

/** The same POST the scenario's http step sends, plainly: node:http, a keep-alive agent. */
function post(url: string, body: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/payments`, {
      method: "POST",
      agent,
      headers: { "content-type": "application/json" },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        JSON.parse(Buffer.concat(chunks).toString("utf8"));
        resolve(res.statusCode ?? 0);
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * ms per request, one at a time, against one product started as the runner starts it; and how
 * many answers were not the 201 the scenario expects.
 */
async function measureDirect(
  context: Context,
  requests: number,
): Promise<{ times: number[]; wrong: number }> {
  const loaded = context.scenarios[0] as LoadedScenario;
  const stripe = context.twins.get("stripe") as TwinDefinition<unknown>;
  const twin = createTwin(stripe, { seed: "bench/direct" });
  const served = await twin.serve();
  const product = await startProduct({
    sandbox: context.sandbox,
    worktree: context.worktree,
    product: loaded.scenario.product,
    twinUrls: { stripe: served.url },
  });
  const agent = new Agent({ keepAlive: true });
  try {
    const created = await twin.fetch(
      new Request("http://twin.invalid/v1/customers", {
        method: "POST",
        headers: {
          authorization: "Bearer sk_test_scenario",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "email=ana%40example.com",
      }),
    );
    const { id } = (await created.json()) as { id: string };
    const body = JSON.stringify({ amount: 1200, customer: id });
    for (let i = 0; i < 20; i++) await post(product.url, body, agent); // warm up
    const times: number[] = [];
    let wrong = 0;
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      const status = await post(product.url, body, agent);
      times.push(performance.now() - started);
      if (status !== 201) wrong++;
    }
    return { times, wrong };
  } finally {
    agent.destroy();
    await product.stop();
    await served.close();
  }
}

/** The summed resident memory of the product's node processes (Linux); 0 where /proc cannot say. */
function productProcessesRss(): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (!cmdline[0]?.endsWith("node") || !cmdline.includes(PRODUCT_FILE)) continue;
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const p50 = (values: number[]) => median(values, (v) => v) ?? 0;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

function throughputRow(name: string, m: Measured, base?: Measured): string {
  const perHour = (m.trajectories / m.wallMs) * 3_600_000;
  const ratio = base
    ? `   ${(m.wallMs / m.trajectories / (base.wallMs / base.trajectories)).toFixed(1)}x reused's time`
    : "";
  return `  ${name.padEnd(34)} ${Math.round(perHour).toLocaleString("en").padStart(9)} trajectories/hour   ${ms(m.wallMs / m.trajectories)} per trajectory (wall)   p50 ${ms(p50(m.trajectoryMs))} each${ratio}   satisfaction ${m.satisfaction.toFixed(3)} (${m.satisfied}/${m.trajectories})   products' rss ${mb(m.productRss)}`;
}

function loudFailures(name: string, m: Measured): string[] {
  if (m.satisfaction === 1) return [];
  return [
    `  !!! ${name}: satisfaction ${m.satisfaction.toFixed(3)}, not 1.0: these figures measure failures, not the runner`,
    ...m.failures.slice(0, 3).map((f) => `  !!!   ${f.slice(0, 300)}`),
  ];
}

async function prepareProduct(): Promise<{ dir: string; worktree: string }> {
  const dir = await mkdtemp(join(tmpdir(), "df-bench-scenarios-"));
  // The sandbox user must reach the product through this folder.
  await chmod(dir, 0o755);
  const worktree = join(dir, "product");
  await mkdir(worktree);
  await writeFile(join(worktree, PRODUCT_FILE), PRODUCT);
  await writeFile(join(dir, "bench-payment.yaml"), SCENARIO);
  await grantWorktreeAccess(worktree);
  return { dir, worktree };
}

export async function benchScenarios(): Promise<void> {
  const { dir, worktree } = await prepareProduct();
  try {
    const sandbox = await createSandbox();
    const scenario = scenarioSchema.parse(parse(SCENARIO));
    const context: Context = {
      scenarios: [{ file: join(dir, "bench-payment.yaml"), scenario }],
      twins: await availableTwins(),
      worktree,
      sandbox,
    };
    const load = loadavg()[0] ?? 0;
    const lines = [
      `scenarios (load average ${load.toFixed(1)} on ${availableParallelism()} cores at the start; one HTTP scenario: a twin request, an http step to a node:http product that calls the Stripe twin, a twin expect; product in the ${sandbox.mode} sandbox; ${PARALLEL} at once; wall time includes starting products)`,
    ];

    await measureRun(context, "reused", 20, PARALLEL); // warm up
    const reused = await measureRun(context, "reused", REUSED, PARALLEL);
    const fresh = await measureRun(context, "fresh", FRESH, PARALLEL);
    const reusedPerHour = (reused.trajectories / reused.wallMs) * 3_600_000;
    lines.push(
      throughputRow(`reused, ${REUSED} trajectories`, reused),
      throughputRow(`fresh, ${FRESH} trajectories`, fresh, reused),
      `    reused against the ${TARGET_PER_HOUR.toLocaleString("en")}/hour target: ${(reusedPerHour / TARGET_PER_HOUR).toFixed(2)}x${reusedPerHour < TARGET_PER_HOUR ? "   !!! BELOW TARGET" : ""}`,
      ...loudFailures("reused", reused),
      ...loudFailures("fresh", fresh),
    );

    // Direct and runner back to back in each round, one lane and one client: the machine
    // drifts between rounds, so the round's own difference is compared; the median is shown.
    const rounds: { direct: { times: number[]; wrong: number }; run: Measured }[] = [];
    for (let round = 0; round < OVERHEAD_ROUNDS; round++)
      rounds.push({
        direct: await measureDirect(context, DIRECT_REQUESTS),
        run: await measureRun(context, "reused", OVERHEAD_TRAJECTORIES, 1, false),
      });
    const overhead = (r: (typeof rounds)[number]) => mean(r.run.httpStepMs) - mean(r.direct.times);
    const shown = median(rounds, overhead);
    const direct = mean(shown.direct.times);
    const step = mean(shown.run.httpStepMs);
    lines.push(
      `  per http step (POST /payments, product -> twin -> product; one lane, one request at a time; median of ${OVERHEAD_ROUNDS} rounds of ${DIRECT_REQUESTS} direct requests and ${OVERHEAD_TRAJECTORIES} trajectories)`,
      `    ${"direct node:http, keep-alive".padEnd(32)} ${ms(direct).padStart(9)} mean   p50 ${ms(p50(shown.direct.times))}`,
      `    ${"runner's http step, reused".padEnd(32)} ${ms(step).padStart(9)} mean   p50 ${ms(p50(shown.run.httpStepMs))}   ratio ${(step / direct).toFixed(2)}`,
      `    runner overhead per step: ${ms(step - direct)} mean, ${ms(p50(shown.run.httpStepMs) - p50(shown.direct.times))} p50 (mean by round: ${rounds.map((r) => overhead(r).toFixed(2)).join(" ")} ms)`,
      `    a trajectory after its lane's first (which also starts the product: ${ms(mean(shown.run.laneFirstMs))}) ${ms(mean(shown.run.trajectoryMs))} mean: its http step ${ms(step)}, its two twin steps ${ms(mean(shown.run.twinStepsMs))}, the rest (twin reset, inputs, bookkeeping) ${ms(mean(shown.run.trajectoryMs) - step - mean(shown.run.twinStepsMs))}`,
      ...loudFailures("overhead run", shown.run),
      ...rounds
        .filter((r) => r.direct.wrong > 0)
        .map(
          (r) =>
            `  !!! ${r.direct.wrong} of ${DIRECT_REQUESTS} direct requests were not answered 201: the baseline measures failures`,
        ),
    );

    const memory = process.memoryUsage();
    lines.push(
      `  memory: runner rss ${(memory.rss / 1e6).toFixed(1)} MB, heap ${(memory.heapUsed / 1e6).toFixed(1)} MB`,
    );
    process.stdout.write(`\n${lines.join("\n")}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// `npm run bench`: every benchmark in this folder, each printing its figures against a
// baseline measured in the same run, with the Node version and memory. Names pick some:
// `npm run bench -- scenarios twins`.
import { benchAudit } from "./audit.bench.js";
import { benchEngine } from "./engine.bench.js";
import { benchGates } from "./gates.bench.js";
import { benchLlmLoop } from "./llm-loop.bench.js";
import { benchLlmTwins } from "./llm-twins.bench.js";
import { benchSandbox } from "./sandbox.bench.js";
import { benchScenarios } from "./scenarios.bench.js";
import { benchTwins } from "./twins.bench.js";

const benches: Record<string, () => Promise<void>> = {
  audit: benchAudit,
  engine: benchEngine,
  sandbox: benchSandbox,
  twins: benchTwins,
  scenarios: benchScenarios,
  gates: benchGates,
  "llm-loop": benchLlmLoop,
  "llm-twins": benchLlmTwins,
};

const picked = process.argv.slice(2);
const unknown = picked.filter((name) => !Object.hasOwn(benches, name));
if (unknown.length > 0) {
  process.stderr.write(
    `no benchmark named ${unknown.join(", ")}; the benchmarks: ${Object.keys(benches).join(", ")}\n`,
  );
  process.exit(2);
}
process.stdout.write(
  `darkfactory benchmarks · node ${process.version} · ${process.platform}/${process.arch}\n\n`,
);
for (const [name, bench] of Object.entries(benches))
  if (picked.length === 0 || picked.includes(name)) await bench();

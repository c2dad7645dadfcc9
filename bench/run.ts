// `npm run bench`: every benchmark in this folder, each printing its figures against a
// baseline measured in the same run, with the Node version and memory.
import { benchAudit } from "./audit.bench.js";
import { benchEngine } from "./engine.bench.js";
import { benchLlmLoop } from "./llm-loop.bench.js";
import { benchLlmTwins } from "./llm-twins.bench.js";
import { benchSandbox } from "./sandbox.bench.js";
import { benchTwins } from "./twins.bench.js";

process.stdout.write(
  `darkfactory benchmarks · node ${process.version} · ${process.platform}/${process.arch}\n\n`,
);
await benchAudit();
await benchEngine();
await benchSandbox();
await benchTwins();
await benchLlmLoop();
await benchLlmTwins();

/** Scenario inputs drawn from a trajectory's seed: a deterministic product still meets new values. */
import { createSeededRandom } from "../../twins/index.js";
import type { Scenario } from "../scenario-schema.js";
import type { Variables } from "./values.js";

export function generateInputs(inputs: Scenario["inputs"], seed: string): Variables {
  const random = createSeededRandom(`${seed}/inputs`);
  const values: Variables = {};
  // In name order, so the same inputs draw the same values whatever order the file lists them.
  for (const name of Object.keys(inputs).sort()) {
    const spec = inputs[name] as Scenario["inputs"][string];
    if ("int" in spec) values[name] = random.int(Math.min(...spec.int), Math.max(...spec.int));
    else if ("pick" in spec) values[name] = spec.pick[random.int(0, spec.pick.length - 1)];
    else values[name] = random.id(spec.id, 14);
  }
  return values;
}

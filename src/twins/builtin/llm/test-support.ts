/** What the LLM twins' suites share: a served twin, the cassette they run, `caught`. */
import { fileURLToPath } from "node:url";
import type { TwinDefinition } from "../../runtime/contract.js";
import {
  type CreateTwinOptions,
  createTwin,
  type ServedTwin,
  type Twin,
} from "../../runtime/create-twin.js";
import type { LlmState } from "./complete.js";

export const CASSETTE_FILE = fileURLToPath(
  new URL("./fixtures/coding-agent.cassette.yaml", import.meta.url),
);

/** The file the cassette's `read_file` call reads: what `write-fix` expects back. */
export const APP_SOURCE = "export function count(n: number) {\n  for (let i = 0; i < n; i++) {}\n}";

const opened: ServedTwin[] = [];
export async function closeOpened(): Promise<void> {
  for (const served of opened.splice(0).reverse()) await served.close();
}

export async function serveTwin(
  definition: TwinDefinition<LlmState>,
  options: CreateTwinOptions = {},
): Promise<{ twin: Twin<LlmState>; served: ServedTwin }> {
  const twin = createTwin(definition, {
    seed: "llm-suite",
    ...options,
    options: { cassette: CASSETTE_FILE, ...options.options },
  });
  const served = await twin.serve({ port: 0 });
  opened.push(served);
  return { twin, served };
}

export async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to be refused");
}

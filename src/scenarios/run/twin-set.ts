/** The twins one trajectory (or one lane of reused trajectories) talks to, served on loopback. */
import {
  createTwin,
  type FaultProfile,
  type ServedTwin,
  type Twin,
  type TwinDefinition,
} from "../../twins/index.js";

export interface TwinSet {
  /** Each twin's URL on the host, by name. */
  readonly urls: Record<string, string>;
  get(name: string): Twin | undefined;
  /** Fresh state under new seeds and fault profiles, for the next trajectory of a lane. */
  reset(seeds: Record<string, string>, faults: Record<string, FaultProfile | undefined>): void;
  close(): Promise<void>;
}

const NO_FAULTS: FaultProfile = { rules: [] };

export async function openTwinSet(
  definitions: ReadonlyMap<string, TwinDefinition<unknown>>,
  names: readonly string[],
  /** Per twin name. */
  seeds: Record<string, string>,
  faults: Record<string, FaultProfile | undefined>,
): Promise<TwinSet> {
  const twins = new Map<string, Twin>();
  const served: ServedTwin[] = [];
  const urls: Record<string, string> = {};
  try {
    for (const name of names) {
      const definition = definitions.get(name);
      if (!definition) throw new Error(`no twin named ${name}`);
      const twin = createTwin(definition, {
        seed: seeds[name] ?? name,
        faults: faults[name] ?? NO_FAULTS,
      });
      twins.set(name, twin);
      const server = await twin.serve();
      served.push(server);
      urls[name] = server.url;
    }
  } catch (error) {
    await Promise.all(served.map((s) => s.close()));
    throw error;
  }
  return {
    urls,
    get: (name) => twins.get(name),
    reset(next, profiles) {
      for (const [name, twin] of twins) {
        twin.reset(next[name] ?? name);
        twin.setFaults(profiles[name] ?? NO_FAULTS);
      }
    },
    close: async () => {
      await Promise.all(served.map((s) => s.close()));
    },
  };
}

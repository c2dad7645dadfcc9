/**
 * What the bolt attack tests share: the secrets given to `factory run` only, a search for them
 * in any text, a one-task plan, and the audit data of a sandboxed run.
 */
import { randomBytes, randomUUID } from "node:crypto";

/** Given to `factory run` only. The canary has a name and a value no redaction rule knows. */
export const secrets = {
  ACME_STRIPE_KEY: `sk_live_${randomBytes(12).toString("hex")}`,
  FACTORY_TEST_SECRET_TOKEN: `fts-${randomUUID()}`,
  BOLT_HELPER_CANARY: `canary-${randomUUID()}`,
};
const secretValues = Object.values(secrets);

export function secretsIn(text: string | Buffer): string[] {
  return secretValues.filter((secret) => text.includes(secret));
}

export const oneTask = (id: string) => ({
  version: 1,
  plan: [{ id, title: `Task ${id}`, instructions: "As the script says." }],
});

/** What the audit entry of a `run` in the sandbox records. */
export interface RunData {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  output: string;
}

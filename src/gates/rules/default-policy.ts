import { fileURLToPath } from "node:url";

/** The policy shipped with darkfactory, copied into a new home's `policies/`. */
export const defaultPolicyPath = fileURLToPath(
  new URL("../../../policies/default.yaml", import.meta.url),
);

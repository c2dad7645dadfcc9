import { InputError } from "../../common/index.js";

const NAME = /^(user|agent):[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

/**
 * A principal's full name from what a person typed: `alice` → `user:alice`, `builder` with
 * `agent` → `agent:builder`; a name already prefixed keeps its prefix. Refuses anything else.
 */
export function principalName(input: string, kind?: "person" | "agent"): string {
  const named = input.includes(":") ? input : `${kind === "agent" ? "agent" : "user"}:${input}`;
  if (!NAME.test(named)) {
    throw new InputError("bad-principal-name", `"${input}" is not a principal name`, {
      hint: "use user:<name> for a person or agent:<name> for an agent (letters, digits, . _ @ -)",
    });
  }
  if (kind !== undefined && principalKind(named) !== kind) {
    throw new InputError("bad-principal-name", `${named} cannot be an ${kind}`, {
      hint: "agents are named agent:<name>, people user:<name>",
    });
  }
  return named;
}

export function principalKind(name: string): "person" | "agent" {
  return name.startsWith("agent:") ? "agent" : "person";
}

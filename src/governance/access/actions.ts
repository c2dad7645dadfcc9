/**
 * What principals may do (DESIGN §8): every action the CLI or the server can take, and the
 * roles that may take it. One table, so the core, the docs and the tests read the same rules.
 */
import type { PrincipalRole } from "../../home/index.js";

export const accessActions = [
  "bolt.run",
  "bolt.resume",
  "bolt.cancel",
  "bolt.approve",
  "bolt.reject",
  "policy.edit",
  "twin.admin",
  "audit.export",
  "audit.verify",
  "principal.manage",
  "token.manage",
  "gate.check",
  "scenarios.run",
  "read",
] as const;
export type AccessAction = (typeof accessActions)[number];

/** Admin may do everything; agents act only inside bolts, so none of these is theirs. */
const grants = {
  admin: accessActions,
  author: [
    "bolt.run",
    "bolt.resume",
    "bolt.cancel",
    "gate.check",
    "scenarios.run",
    "audit.verify",
    "read",
  ],
  approver: ["bolt.approve", "bolt.reject", "gate.check", "audit.verify", "read"],
  viewer: ["read", "audit.verify"],
  agent: [],
} as const satisfies Record<PrincipalRole, readonly AccessAction[]>;

/** The roles the table knows, in its order. */
export const accessRoles = Object.keys(grants) as PrincipalRole[];

export function isAccessRole(role: string): role is PrincipalRole {
  return Object.hasOwn(grants, role);
}

/** Whether holding `role` lets a principal take `action`. Unknown roles grant nothing. */
export function roleAllows(role: string, action: AccessAction): boolean {
  if (!isAccessRole(role)) return false;
  return (grants[role] as readonly AccessAction[]).includes(action);
}

/** The roles that may take `action`, for messages that say how to get it. */
export function rolesAllowed(action: AccessAction): PrincipalRole[] {
  return accessRoles.filter((role) => roleAllows(role, action));
}

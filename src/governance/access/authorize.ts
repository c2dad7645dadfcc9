/**
 * The one authorisation check, called by the core at the start of every action whatever the
 * entry point (CLI, server, tests), so no shell can forget it. A denial is audited first.
 */
import type { Principal } from "../../store/index.js";
import { AccessDeniedError } from "./access-denied-error.js";
import type { AccessHome } from "./access-home.js";
import { type AccessAction, roleAllows, rolesAllowed } from "./actions.js";

/**
 * Returns the principal when it may take `action` on `subject`; throws `AccessDeniedError`
 * (after an `access.denied` audit entry) when it is unknown, disabled, or lacks the role.
 * A home with no principals at all (made before principals existed, or by hand) is open:
 * everyone may act, and the first `factory principal add` closes it.
 */
export async function authorize(
  home: AccessHome,
  principal: string,
  action: AccessAction,
  subject: string,
): Promise<Principal | undefined> {
  const found = await home.store.getPrincipal(principal);
  if (!found) {
    if ((await home.store.listPrincipals()).length === 0) return undefined;
    throw await denyAccess(home, {
      principal,
      action,
      subject,
      reason: "unknown-principal",
      message: `${principal} is not a principal of this home, so it may not ${action}`,
      hint: "an admin can add it with `factory principal add <name> --role <role>`, or map your OS user in factory.yaml's access.os_users",
    });
  }
  if (found.disabled) {
    throw await denyAccess(home, {
      principal,
      action,
      subject,
      reason: "disabled",
      message: `${principal} is disabled, so it may not ${action}`,
      hint: "an admin can enable it with `factory principal update <name> --enable`",
    });
  }
  if (!found.roles.some((role) => roleAllows(role, action))) {
    const allowed = rolesAllowed(action);
    throw await denyAccess(home, {
      principal,
      action,
      subject,
      reason: "role",
      roles: found.roles,
      message: `${principal} may not ${action}: that needs the role ${allowed.join(" or ")}, and it holds ${found.roles.join(", ") || "none"}`,
      hint: `an admin can grant it with \`factory principal update ${principal} --role ${allowed.find((r) => r !== "admin") ?? "admin"}\``,
    });
  }
  return found;
}

export interface Denial {
  principal: string;
  action: string;
  subject: string;
  /** A stable word for the audit log: `role`, `disabled`, `separation-of-duties`, ... */
  reason: string;
  roles?: readonly string[];
  message: string;
  hint: string;
}

/** Records an `access.denied` entry and returns the error to throw; for refusals beyond the role table. */
export async function denyAccess(home: AccessHome, denial: Denial): Promise<AccessDeniedError> {
  await home.audit.append(denial.principal, "access.denied", denial.subject, {
    action: denial.action,
    reason: denial.reason,
    ...(denial.roles ? { roles: denial.roles } : {}),
  });
  return new AccessDeniedError(denial.principal, denial.action, denial.message, denial.hint);
}

/**
 * Managing principals and their tokens, each call authorised in the core and audited. Tokens
 * leave this module once, as text, at creation; only their hash is stored or logged.
 */
import { InputError } from "../../common/index.js";
import type { AccessToken, Principal } from "../../store/index.js";
import type { AccessHome } from "./access-home.js";
import { accessRoles, isAccessRole } from "./actions.js";
import { authorize } from "./authorize.js";
import { principalKind, principalName } from "./principal-name.js";
import { newToken } from "./tokens.js";

/** The roles whoever lays out a home gets: enough to run, approve (others' bolts) and manage. */
export const BOOTSTRAP_ROLES = ["admin", "author", "approver"] as const;

function checkRoles(roles: readonly string[]): string[] {
  const unknown = roles.filter((role) => !isAccessRole(role));
  if (roles.length === 0 || unknown.length > 0) {
    throw new InputError(
      "bad-role",
      roles.length === 0
        ? "a principal needs at least one role"
        : `unknown role ${unknown.join(", ")}`,
      { hint: `roles are ${accessRoles.join(", ")}` },
    );
  }
  return [...new Set(roles)];
}

/**
 * Records the first admin of a fresh home (`factory init`). Does nothing if the home has
 * principals already, so it can never be used to add an admin to a home someone runs.
 */
export async function bootstrapAdmin(
  home: AccessHome,
  name: string,
): Promise<Principal | undefined> {
  if ((await home.store.listPrincipals()).length > 0) return undefined;
  const principal = await home.store.addPrincipal({
    name: principalName(name),
    kind: principalKind(name),
    roles: [...BOOTSTRAP_ROLES],
  });
  await home.audit.append(principal.name, "principal.add", `principal:${principal.name}`, {
    roles: principal.roles,
    bootstrap: true,
  });
  return principal;
}

export async function addPrincipal(
  home: AccessHome,
  actor: string,
  input: { name: string; roles: readonly string[]; agent?: boolean },
): Promise<Principal> {
  const name = principalName(input.name, input.agent ? "agent" : undefined);
  const subject = `principal:${name}`;
  const acting = await authorize(home, actor, "principal.manage", subject);
  const roles = checkRoles(input.roles);
  // A home with no principals is open; its first principal must be able to manage the rest,
  // or adding it would lock everyone out.
  if (!acting && !roles.includes("admin")) {
    throw new InputError(
      "first-principal-not-admin",
      `the first principal of a home must be an admin`,
      {
        hint: `add yourself first: \`factory principal add ${actor} --role admin\``,
      },
    );
  }
  const principal = await home.store.addPrincipal({ name, kind: principalKind(name), roles });
  await home.audit.append(actor, "principal.add", subject, { roles, kind: principal.kind });
  return principal;
}

export async function updatePrincipal(
  home: AccessHome,
  actor: string,
  name: string,
  change: { roles?: readonly string[]; disabled?: boolean },
): Promise<Principal> {
  const full = principalName(name);
  const subject = `principal:${full}`;
  await authorize(home, actor, "principal.manage", subject);
  const roles = change.roles ? checkRoles(change.roles) : undefined;
  const before = await home.store.getPrincipal(full);
  const after = {
    roles: roles ?? before?.roles ?? [],
    disabled: change.disabled ?? before?.disabled,
  };
  const admins = (await home.store.listPrincipals()).filter(
    (p) => p.name !== full && !p.disabled && p.roles.includes("admin"),
  );
  const wasAdmin = before !== undefined && !before.disabled && before.roles.includes("admin");
  if (wasAdmin && admins.length === 0 && (after.disabled || !after.roles.includes("admin"))) {
    throw new InputError("last-admin", `${full} is the last enabled admin of this home`, {
      hint: "make another principal an admin first",
    });
  }
  const updated = await home.store.updatePrincipal(full, {
    ...(roles ? { roles } : {}),
    ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
  });
  await home.audit.append(actor, "principal.update", subject, {
    roles: updated.roles,
    disabled: updated.disabled,
  });
  return updated;
}

export async function listPrincipals(home: AccessHome, actor: string): Promise<Principal[]> {
  await authorize(home, actor, "read", "principals");
  return home.store.listPrincipals();
}

/**
 * A new token for `principal`; its text is in the result and nowhere else, ever. An admin
 * may make one for anyone; any principal may make one for itself.
 */
export async function createToken(
  home: AccessHome,
  actor: string,
  principal: string,
): Promise<{ token: AccessToken; text: string }> {
  const name = principalName(principal);
  const subject = `principal:${name}`;
  if (name === actor) await authorize(home, actor, "read", subject);
  else await authorize(home, actor, "token.manage", subject);
  const target = await home.store.getPrincipal(name);
  if (!target || target.disabled) {
    throw new InputError("principal-not-found", `no enabled principal named ${name}`, {
      hint: "add it first with `factory principal add`",
    });
  }
  const fresh = newToken();
  const token = await home.store.addToken({ id: fresh.id, principal: name, hash: fresh.hash });
  await home.audit.append(actor, "token.create", subject, { token: token.id });
  return { token, text: fresh.text };
}

/** Revokes a token at once; an admin may revoke any, a principal its own. */
export async function revokeToken(
  home: AccessHome,
  actor: string,
  id: string,
): Promise<AccessToken> {
  const owned = (await home.store.listTokens({ principal: actor })).some((t) => t.id === id);
  if (owned) await authorize(home, actor, "read", `token:${id}`);
  else await authorize(home, actor, "token.manage", `token:${id}`);
  const token = await home.store.revokeToken(id);
  await home.audit.append(actor, "token.revoke", `principal:${token.principal}`, { token: id });
  return token;
}

export async function listTokens(home: AccessHome, actor: string): Promise<AccessToken[]> {
  const acting = await authorize(home, actor, "read", "tokens");
  const all = !acting || acting.roles.includes("admin");
  return home.store.listTokens(all ? {} : { principal: actor });
}

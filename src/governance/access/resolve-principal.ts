import { InputError } from "../../common/index.js";
import type { AccessHome } from "./access-home.js";
import { hashToken } from "./tokens.js";

export interface ResolvePrincipalOptions {
  env: NodeJS.ProcessEnv;
  /** The OS user running the command. */
  osUser: string;
  /** factory.yaml's access.os_users: OS user name → principal name. */
  osUsers: Record<string, string>;
}

/**
 * Who a command acts as: the principal of `FACTORY_TOKEN` when it is set (an unknown or
 * revoked token is an error, never a silent fall back to the OS user), else the OS user's
 * principal as factory.yaml maps it, else `user:<os user>`. Whether that principal may act is
 * `authorize`'s question, not this one's.
 */
export async function resolvePrincipal(
  home: AccessHome,
  options: ResolvePrincipalOptions,
): Promise<string> {
  const text = options.env.FACTORY_TOKEN;
  if (text) {
    const token = await home.store.findTokenByHash(hashToken(text));
    if (!token || token.revokedAt !== undefined) {
      // The token's text is a secret: neither the message nor the audit entry may hold it.
      await home.audit.append(`user:${options.osUser}`, "access.denied", "token", {
        action: "authenticate",
        reason: token ? "token-revoked" : "token-unknown",
        ...(token ? { token: token.id } : {}),
      });
      throw new InputError(
        "token-invalid",
        token
          ? `FACTORY_TOKEN is token ${token.id}, which was revoked`
          : "FACTORY_TOKEN is not a token of this home",
        {
          hint: "ask an admin for a new one (`factory token create <principal>`), or unset FACTORY_TOKEN to act as your OS user",
        },
      );
    }
    return token.principal;
  }
  return options.osUsers[options.osUser] ?? `user:${options.osUser}`;
}

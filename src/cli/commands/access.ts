import type { Command } from "commander";
import { InputError } from "../../common/index.js";
import {
  accessRoles,
  addPrincipal,
  createToken,
  listPrincipals,
  listTokens,
  revokeToken,
  updatePrincipal,
} from "../../governance/index.js";
import type { AccessToken, Principal } from "../../store/index.js";
import { type CommandOutcome, withHome } from "../context.js";
import type { Register } from "../register.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];
const roleHelp = `a role (${accessRoles.join(", ")}); repeat for several`;

export const registerAccess: Register = (program, run) => {
  const principal = program
    .command("principal")
    .description("the people and agents of this home, and their roles");
  principal
    .command("add")
    .description("add a principal (admin only)")
    .argument("<name>", "user:<name> or agent:<name> (a bare name is a user)")
    .requiredOption("--role <role>", roleHelp, collect)
    .option("--agent", "an agent rather than a person")
    .action((name: string, options: { role: string[]; agent?: boolean }, command: Command) =>
      run(command, (context) =>
        withHome(context, async (home) => {
          const added = await addPrincipal(home, context.actor, {
            name,
            roles: options.role,
            ...(options.agent ? { agent: true } : {}),
          });
          return {
            exitCode: 0,
            json: principalJson(added),
            text: `added ${added.name} (${added.kind}) with ${added.roles.join(", ")}`,
          };
        }),
      ),
    );
  principal
    .command("update")
    .description("change a principal's roles, or disable or enable it (admin only)")
    .argument("<name>")
    .option("--role <role>", `${roleHelp}; replaces its roles`, collect)
    .option("--disable", "refuse it every action from now on")
    .option("--enable", "let it act again")
    .action(
      (
        name: string,
        options: { role?: string[]; disable?: boolean; enable?: boolean },
        command: Command,
      ) =>
        run(command, (context) =>
          withHome(context, async (home) => {
            if (options.disable && options.enable)
              throw new InputError("disable-and-enable", "choose --disable or --enable, not both");
            if (!options.role && !options.disable && !options.enable)
              throw new InputError("nothing-to-change", "name --role, --disable or --enable");
            const updated = await updatePrincipal(home, context.actor, name, {
              ...(options.role ? { roles: options.role } : {}),
              ...(options.disable ? { disabled: true } : options.enable ? { disabled: false } : {}),
            });
            return {
              exitCode: 0,
              json: principalJson(updated),
              text: `${updated.name}: ${updated.roles.join(", ")}${updated.disabled ? " (disabled)" : ""}`,
            };
          }),
        ),
    );
  principal
    .command("list")
    .description("the principals, with their roles")
    .action((_o: unknown, command: Command) =>
      run(command, (context) =>
        withHome(context, async (home): Promise<CommandOutcome> => {
          const all = await listPrincipals(home, context.actor);
          return {
            exitCode: 0,
            json: { principals: all.map(principalJson), you: context.actor },
            text:
              all.length === 0
                ? "no principals: this home is open to everyone; add an admin with `factory principal add <name> --role admin`"
                : all
                    .map(
                      (p) =>
                        `${p.name.padEnd(24)} ${p.kind.padEnd(6)} ${p.roles.join(", ")}${p.disabled ? "  (disabled)" : ""}${p.name === context.actor ? "  ← you" : ""}`,
                    )
                    .join("\n"),
          };
        }),
      ),
    );

  const token = program
    .command("token")
    .description("tokens a principal acts with (FACTORY_TOKEN)");
  token
    .command("create")
    .description("make a token for a principal and print it once (admin, or for yourself)")
    .argument("<principal>")
    .action((name: string, _o: unknown, command: Command) =>
      run(command, (context) =>
        withHome(context, async (home) => {
          const made = await createToken(home, context.actor, name);
          return {
            exitCode: 0,
            json: { ...tokenJson(made.token), token: made.text },
            text: [
              `token ${made.token.id} for ${made.token.principal}:`,
              made.text,
              "It is shown this once and stored only as a hash. Act with it by setting FACTORY_TOKEN.",
            ].join("\n"),
          };
        }),
      ),
    );
  token
    .command("revoke")
    .description("revoke a token at once (admin, or your own)")
    .argument("<id>")
    .action((id: string, _o: unknown, command: Command) =>
      run(command, (context) =>
        withHome(context, async (home) => {
          const revoked = await revokeToken(home, context.actor, id);
          return {
            exitCode: 0,
            json: tokenJson(revoked),
            text: `token ${revoked.id} of ${revoked.principal} revoked`,
          };
        }),
      ),
    );
  token
    .command("list")
    .description("tokens by id (all for an admin, else your own); never their text")
    .action((_o: unknown, command: Command) =>
      run(command, (context) =>
        withHome(context, async (home) => {
          const all = await listTokens(home, context.actor);
          return {
            exitCode: 0,
            json: { tokens: all.map(tokenJson) },
            text:
              all
                .map(
                  (t) =>
                    `${t.id}  ${t.principal.padEnd(24)} ${new Date(t.createdAt).toISOString()}${t.revokedAt ? "  revoked" : ""}`,
                )
                .join("\n") || "no tokens",
          };
        }),
      ),
    );
};

function principalJson(p: Principal) {
  return {
    name: p.name,
    kind: p.kind,
    roles: p.roles,
    disabled: p.disabled,
    createdAt: new Date(p.createdAt).toISOString(),
  };
}

/** Never the hash: it is all an attacker would need to test guesses offline. */
function tokenJson(t: AccessToken) {
  return {
    id: t.id,
    principal: t.principal,
    createdAt: new Date(t.createdAt).toISOString(),
    revokedAt: t.revokedAt === undefined ? null : new Date(t.revokedAt).toISOString(),
  };
}

import { userInfo } from "node:os";
import { resolvePrincipal } from "../governance/index.js";
import { findHome, type Home, openHome } from "../home/index.js";
import { printable } from "./printable.js";

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** What every command gets: the streams, the global options, and the way to its home. */
export interface CliContext extends CliIo {
  json: boolean;
  debug: boolean;
  /** `--home`, else `FACTORY_HOME`. */
  homeOption: string | undefined;
  /**
   * The principal the CLI acts as: `user:<os user>` until a home is opened, then the one
   * `FACTORY_TOKEN` or factory.yaml's access.os_users names (see `withHome`).
   */
  actor: string;
  /** The OS user running the command. */
  osUser: string;
  /** A line of progress on stderr; never on stdout, so `--json` output stays one document. */
  progress(line: string): void;
}

/** A command's result: the exit code, the `--json` document and the text for people. */
export interface CommandOutcome {
  exitCode: 0 | 1 | 2 | 3;
  json: unknown;
  text: string;
}

export function createContext(
  io: CliIo,
  options: { json?: boolean; debug?: boolean; home?: string },
): CliContext {
  const osUser = currentUser(io.env);
  return {
    ...io,
    json: options.json ?? false,
    debug: options.debug ?? false,
    homeOption: options.home ?? (io.env.FACTORY_HOME || undefined),
    actor: `user:${osUser}`,
    osUser,
    progress: (line) => io.stderr.write(`${printable(line)}\n`),
  };
}

function currentUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? "unknown";
  }
}

/** Finds and opens the home; the caller closes it. */
export function openContextHome(context: CliContext): Home {
  const root = findHome({ explicit: context.homeOption, cwd: context.cwd });
  const home = openHome(root, { env: context.env });
  // factory.yaml's warnings are shown by `init`; repeating them on every command is noise.
  if (context.debug)
    for (const warning of home.warnings) context.progress(`note: ${warning.message}`);
  return home;
}

/**
 * Opens the home, settles who the command acts as there, runs `fn`, and closes the home
 * whatever happens. What that principal may do is checked by the core, not here.
 */
export async function withHome<T>(context: CliContext, fn: (home: Home) => Promise<T>): Promise<T> {
  const home = openContextHome(context);
  try {
    context.actor = await resolvePrincipal(home, {
      env: context.env,
      osUser: context.osUser,
      osUsers: home.config.access.osUsers,
    });
    return await fn(home);
  } finally {
    await home.close();
  }
}

import { resolve } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../common/index.js";
import { findHome } from "../../home/index.js";
import { availableTwins, loadFaultProfile, serveTwins } from "../../twins/index.js";
import type { CliContext, CommandOutcome } from "../context.js";
import type { Register } from "../register.js";

export const registerTwin: Register = (program, run) => {
  const twin = program.command("twin").description("digital twins of the services a product uses");
  twin
    .command("list")
    .description("the twins that can be served: built in, and the home's twins/")
    .action((_o: unknown, command: Command) =>
      run(command, async (context) => {
        const twins = [...(await availableTwins(homeOf(context))).values()];
        return {
          exitCode: 0,
          json: { twins: twins.map((t) => ({ name: t.name, description: t.description })) },
          text: twins.map((t) => `${t.name.padEnd(14)} ${t.description}`).join("\n"),
        };
      }),
    );
  twin
    .command("serve")
    .description("serve twins on 127.0.0.1 until interrupted")
    .argument("<name...>", "twins to serve, e.g. stripe github slack npm-registry")
    .option(
      "--port <port>",
      "a port: <n> for a single twin, or <name>=<n> (repeatable); default: free ports",
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option("--seed <seed>", "same seed, same ids and answers", "darkfactory")
    .option("--faults <profile.yaml>", "a fault profile for every twin served")
    .action(
      (
        names: string[],
        options: { port: string[]; seed: string; faults?: string },
        command: Command,
      ) => run(command, (context) => serve(context, names, options)),
    );
};

function homeOf(context: CliContext): string | undefined {
  try {
    return findHome({ explicit: context.homeOption, cwd: context.cwd });
  } catch {
    return undefined;
  }
}

function parsePorts(values: string[], names: string[]): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const value of values) {
    const [name, port] = value.includes("=") ? value.split("=", 2) : [names[0], value];
    const number = Number(port);
    if (!name || !Number.isInteger(number) || number < 0 || number > 65535)
      throw new InputError(
        "bad-port",
        `--port ${value} is not <n> or <name>=<n> with 0 ≤ n ≤ 65535`,
      );
    if (!value.includes("=") && names.length > 1)
      throw new InputError(
        "port-ambiguous",
        `--port ${value} names no twin, and ${names.length} are served`,
        {
          hint: `write it as <name>=<n>, e.g. --port ${names[0]}=${value}`,
        },
      );
    ports[name] = number;
  }
  return ports;
}

async function serve(
  context: CliContext,
  names: string[],
  options: { port: string[]; seed: string; faults?: string },
): Promise<CommandOutcome> {
  const faults = options.faults
    ? loadFaultProfile(resolve(context.cwd, options.faults))
    : undefined;
  const home = homeOf(context);
  const served = await serveTwins(names, {
    seed: options.seed,
    ports: parsePorts(options.port, names),
    ...(faults ? { faults } : {}),
    ...(home ? { home } : {}),
  });
  const twins = served.map((s) => ({ name: s.name, url: s.url }));
  // Ready: one line, for a script to wait on; the command then runs until interrupted.
  if (context.json) context.stdout.write(`${JSON.stringify({ twins })}\n`);
  else for (const t of twins) context.stdout.write(`${t.name.padEnd(14)} ${t.url}\n`);
  context.progress("serving; Ctrl-C stops");
  await new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  await Promise.all(served.map((s) => s.close()));
  return { exitCode: 0, json: undefined, text: "" };
}

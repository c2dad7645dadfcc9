import { resolve } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../common/index.js";
import { createRedactor, secretValuesFromEnv } from "../../governance/index.js";
import { findHome } from "../../home/index.js";
import {
  availableTwins,
  diffCassette,
  loadFaultProfile,
  recordCassette,
  replayCassette,
  serveTwins,
} from "../../twins/index.js";
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
  registerCassettes(twin, run);
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
    .option(
      "--clock <when>",
      "where the twins' virtual clocks start: an ISO date, or `now` (default 2026-01-01)",
    )
    .option(
      "--cassette <turns.yaml>",
      "what the LLM twins (openai, anthropic) answer: turns matched on the conversation",
    )
    .action((names: string[], options: ServeOptions, command: Command) =>
      run(command, (context) => serve(context, names, options)),
    );
};

const LLM_TWINS = ["openai", "anthropic"];

/** Prints the ready line, then holds the servers until Ctrl-C or SIGTERM. */
async function holdUntilInterrupted(
  context: CliContext,
  ready: Record<string, unknown>,
  servers: { close(): Promise<void> }[],
): Promise<CommandOutcome> {
  context.stdout.write(`${JSON.stringify(ready)}\n`);
  context.progress("serving; Ctrl-C stops");
  await new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  await Promise.all(servers.map((s) => s.close()));
  return { exitCode: 0, json: undefined, text: "" };
}

function homeOf(context: CliContext): string | undefined {
  try {
    return findHome({ explicit: context.homeOption, cwd: context.cwd });
  } catch {
    return undefined;
  }
}

function registerCassettes(twin: Command, run: Parameters<Register>[1]): void {
  twin
    .command("record")
    .description(
      "a proxy to a real service that records its traffic to a cassette, secrets redacted",
    )
    .requiredOption("--upstream <url>", "the service to record, e.g. https://api.stripe.com")
    .requiredOption("--out <cassette.jsonl>", "where to write the recording")
    .option("--port <n>", "the proxy's port (default: a free one)", "0")
    .action((options: { upstream: string; out: string; port: string }, command: Command) =>
      run(command, async (context) => {
        const redactor = createRedactor({ secretValues: secretValuesFromEnv(context.env, []) });
        const recorder = await recordCassette({
          upstream: options.upstream,
          cassette: resolve(context.cwd, options.out),
          redactor,
          port: portNumber(options.port),
        });
        return holdUntilInterrupted(context, { recorder: recorder.url }, [recorder]);
      }),
    );
  twin
    .command("replay")
    .description("serve a cassette: each request gets its recorded answer")
    .argument("<cassette>")
    .option("--port <n>", "the port (default: a free one)", "0")
    .action((cassette: string, options: { port: string }, command: Command) =>
      run(command, async (context) => {
        const replay = await replayCassette(resolve(context.cwd, cassette), {
          port: portNumber(options.port),
        });
        return holdUntilInterrupted(context, { replay: replay.url }, [replay]);
      }),
    );
  twin
    .command("diff")
    .description(
      "replay a cassette's requests against a twin and report where its answers differ: status, shape, chosen fields",
    )
    .argument("<cassette>")
    .argument("<twin>", "a twin's name (served here for the diff) or the URL of a running one")
    .option("--fields <a,b>", "dotted fields whose values must match, e.g. status,amount")
    .option(
      "--header <name:value>",
      "a header to send (credentials are redacted in cassettes)",
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option("--seed <seed>", "the twin's seed, when served here", "darkfactory")
    .action(
      (
        cassette: string,
        target: string,
        options: { fields?: string; header: string[]; seed: string },
        command: Command,
      ) =>
        run(command, async (context) => {
          const local = /^https?:\/\//.test(target)
            ? undefined
            : await serveTwins([target], { seed: options.seed, ...homeOption(context) });
          try {
            const headers = Object.fromEntries(
              options.header.map((h) => [
                h.slice(0, h.indexOf(":")).trim(),
                h.slice(h.indexOf(":") + 1).trim(),
              ]),
            );
            const report = await diffCassette(
              resolve(context.cwd, cassette),
              local?.[0]?.url ?? target,
              {
                ...(options.fields ? { fields: options.fields.split(",") } : {}),
                headers,
              },
            );
            const lines = report.differences.map(
              (d) => `  #${d.interaction} ${d.request}  ${d.kind}: ${d.detail}`,
            );
            return {
              exitCode: report.differences.length === 0 ? 0 : 1,
              json: report,
              text: [
                `${report.differences.length === 0 ? "✓" : "✗"} ${report.interactions} interactions, ${report.differences.length} differences`,
                ...lines,
              ].join("\n"),
            };
          } finally {
            await Promise.all((local ?? []).map((s) => s.close()));
          }
        }),
    );
}

function homeOption(context: CliContext): { home?: string } {
  const home = homeOf(context);
  return home ? { home } : {};
}

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InputError("bad-port", `--port ${value} is not a port (0 to 65535)`);
  return port;
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

interface ServeOptions {
  port: string[];
  seed: string;
  faults?: string;
  cassette?: string;
  clock?: string;
}

async function serve(
  context: CliContext,
  names: string[],
  options: ServeOptions,
): Promise<CommandOutcome> {
  const clockStart =
    options.clock === "now" ? Date.now() : options.clock ? Date.parse(options.clock) : undefined;
  if (clockStart !== undefined && Number.isNaN(clockStart))
    throw new InputError("bad-clock", `--clock ${options.clock} is not a date`, {
      hint: "write an ISO date such as 2026-03-01T12:00:00Z, or `now`",
    });
  const faults = options.faults
    ? loadFaultProfile(resolve(context.cwd, options.faults))
    : undefined;
  const scripted = names.filter((name) => LLM_TWINS.includes(name));
  if (options.cassette && scripted.length === 0)
    throw new InputError("cassette-without-llm-twin", "--cassette is for the LLM twins", {
      hint: `serve ${LLM_TWINS.join(" or ")} with it`,
    });
  const cassette = options.cassette ? resolve(context.cwd, options.cassette) : undefined;
  const home = homeOf(context);
  const served = await serveTwins(names, {
    seed: options.seed,
    ports: parsePorts(options.port, names),
    ...(faults ? { faults } : {}),
    ...(clockStart !== undefined ? { clockStart } : {}),
    ...(home ? { home } : {}),
    ...(cassette
      ? { twinOptions: Object.fromEntries(scripted.map((name) => [name, { cassette }])) }
      : {}),
  });
  const twins = served.map((s) => ({ name: s.name, url: s.url }));
  if (!context.json) {
    for (const t of twins) context.stdout.write(`${t.name.padEnd(14)} ${t.url}\n`);
    return holdUntilInterrupted({ ...context, stdout: { write: () => true } }, {}, served);
  }
  // Ready: one line, for a script to wait on; the command then runs until interrupted.
  return holdUntilInterrupted(context, { twins }, served);
}

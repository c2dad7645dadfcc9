import { resolve } from "node:path";
import type { Command } from "commander";
import { initHome, listExampleHomes } from "../../home/index.js";
import type { CliContext, CommandOutcome } from "../context.js";
import type { Register } from "../register.js";

export const registerInit: Register = (program, run) => {
  program
    .command("init")
    .description(
      "lay out a factory home (factory.yaml, intents/, scenarios/, policies/, .factory/)",
    )
    .argument("[dir]", "where to create it", ".")
    .option("--example <name>", `start from a shipped example (${listExampleHomes().join(", ")})`)
    .action((dir: string, options: { example?: string }, command: Command) =>
      run(command, (context) => init(context, dir, options.example)),
    );
};

async function init(
  context: CliContext,
  dir: string,
  example: string | undefined,
): Promise<CommandOutcome> {
  const { root, product, home } = await initHome({
    dir: resolve(context.cwd, dir),
    example,
    actor: context.actor,
    env: context.env,
  });
  try {
    for (const warning of home.warnings) context.progress(`note: ${warning.message}`);
    return {
      exitCode: 0,
      json: {
        ok: true,
        home: root,
        product: product ?? null,
        example: example ?? null,
        warnings: home.warnings,
      },
      text: [
        `Created a factory home in ${root}${example ? ` from the ${example} example` : ""}.`,
        ...(product ? [`Its product, a git repository, is in ${product}.`] : []),
        "Next:",
        `  write an intent in ${root}/intents/ and check it with \`factory intent lint <file>\``,
        "  check the audit trail with `factory audit verify`",
      ].join("\n"),
    };
  } finally {
    await home.close();
  }
}

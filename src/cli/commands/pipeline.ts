import { relative, resolve } from "node:path";
import type { Command } from "commander";
import { countBySeverity, formatDiagnostic } from "../../common/index.js";
import {
  FACTORY_HANDLER_TYPES,
  loadPipelineFile,
  SPEC_HANDLER_TYPES,
} from "../../pipeline/index.js";
import type { CliContext, CommandOutcome } from "../context.js";
import type { Register } from "../register.js";

export const registerPipeline: Register = (program, run) => {
  const pipeline = program.command("pipeline").description("Attractor DOT pipelines");
  pipeline
    .command("validate")
    .description("parse and lint a pipeline: every problem with its rule, place and fix")
    .argument("<file>", "a .dot file")
    .action((file: string, _options: unknown, command: Command) =>
      run(command, (context) => validate(context, file)),
    );
};

async function validate(context: CliContext, file: string): Promise<CommandOutcome> {
  const path = resolve(context.cwd, file);
  const loaded = await loadPipelineFile(path, {
    knownTypes: new Set([...SPEC_HANDLER_TYPES, ...FACTORY_HANDLER_TYPES]),
  });
  const shown = relative(context.cwd, path).startsWith("..") ? path : relative(context.cwd, path);
  const diagnostics = loaded.diagnostics.map((d) => ({ ...d, file: shown }));
  const { errors, warnings } = countBySeverity(diagnostics);
  const summary = `${errors ? "✗" : "✓"} ${shown}: ${loaded.graph ? `${loaded.graph.nodes.size} nodes, ${loaded.graph.edges.length} edges, ` : ""}${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  return {
    exitCode: errors > 0 ? 2 : 0,
    json: {
      ok: errors === 0,
      file: shown,
      nodes: loaded.graph?.nodes.size ?? null,
      edges: loaded.graph?.edges.length ?? null,
      errors,
      warnings,
      diagnostics,
    },
    text: [...diagnostics.map(formatDiagnostic), summary].join("\n"),
  };
}

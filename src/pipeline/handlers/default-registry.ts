import type { Redactor } from "../../governance/index.js";
import { createHandlerRegistry, type HandlerRegistry } from "../engine/handler.js";
import { type CodergenBackend, createCodergenHandler } from "./codergen.js";
import type { Interviewer } from "./interviewers.js";
import { fanInHandler, parallelHandler } from "./parallel.js";
import { conditionalHandler, exitHandler, startHandler } from "./pass-through.js";
import { createToolHandler } from "./tool.js";
import type { ToolExecutor } from "./tool-executor.js";
import { createWaitHumanHandler } from "./wait-human.js";

export interface DefaultRegistryOptions {
  executor: ToolExecutor;
  redactor: Redactor;
  /** Without one, `wait.human` parks the bolt for `factory approve`. */
  interviewer?: Interviewer;
  /** Without one, codergen nodes are not registered (and `type_known` flags them). */
  codergen?: CodergenBackend;
  env?: NodeJS.ProcessEnv;
}

/** The spec's handlers (§4), minus the manager loop, which validation refuses. */
export function createDefaultRegistry(options: DefaultRegistryOptions): HandlerRegistry {
  const registry = createHandlerRegistry({
    start: startHandler,
    exit: exitHandler,
    conditional: conditionalHandler,
    tool: createToolHandler({
      executor: options.executor,
      redactor: options.redactor,
      ...(options.env ? { env: options.env } : {}),
    }),
    "wait.human": createWaitHumanHandler(
      options.interviewer ? { interviewer: options.interviewer } : {},
    ),
    parallel: parallelHandler,
    "parallel.fan_in": fanInHandler,
  });
  if (options.codergen)
    registry.register("codergen", createCodergenHandler(options.codergen, options.redactor));
  return registry;
}

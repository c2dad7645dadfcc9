/** The spec's handlers plus the factory's own, `factory.intake` to `factory.release`. */
import type { HandlerRegistry } from "../engine/handler.js";
import {
  createDefaultRegistry,
  type DefaultRegistryOptions,
} from "../handlers/default-registry.js";
import { createBuildHandler } from "./build.js";
import { createEvaluateHandler } from "./evaluate.js";
import type { FactoryDeps } from "./factory-deps.js";
import { createGatesHandler } from "./gates.js";
import { createIntakeHandler } from "./intake.js";
import { createPlanHandler } from "./plan.js";
import { createReleaseHandler } from "./release.js";
import { createScenariosHandler } from "./scenarios-stage.js";
import { createTestHandler } from "./test-stage.js";

export const FACTORY_HANDLER_TYPES = [
  "factory.intake",
  "factory.plan",
  "factory.build",
  "factory.test",
  "factory.scenarios",
  "factory.evaluate",
  "factory.gates",
  "factory.release",
] as const;

export function createFactoryRegistry(
  deps: FactoryDeps,
  defaults: DefaultRegistryOptions,
): HandlerRegistry {
  const registry = createDefaultRegistry(defaults);
  registry.register("factory.intake", createIntakeHandler(deps));
  registry.register("factory.plan", createPlanHandler(deps));
  registry.register("factory.build", createBuildHandler(deps));
  registry.register("factory.test", createTestHandler(deps));
  registry.register("factory.scenarios", createScenariosHandler(deps));
  registry.register("factory.evaluate", createEvaluateHandler(deps));
  registry.register("factory.gates", createGatesHandler(deps));
  registry.register("factory.release", createReleaseHandler(deps));
  return registry;
}

/** The twins that ship with darkfactory. */
import type { TwinDefinition } from "../runtime/contract.js";
import { stripeTwin } from "./stripe/index.js";

export const builtinTwins = [stripeTwin] as TwinDefinition<unknown>[];

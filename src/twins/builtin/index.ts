/** The twins that ship with darkfactory. */
import type { TwinDefinition } from "../runtime/contract.js";

export const builtinTwins: TwinDefinition<unknown>[] = [];

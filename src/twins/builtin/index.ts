/** The twins that ship with darkfactory. */
import type { TwinDefinition } from "../runtime/contract.js";
import { anthropicTwin } from "./anthropic/index.js";
import { githubTwin } from "./github/index.js";
import { npmRegistryTwin } from "./npm-registry/index.js";
import { openaiTwin } from "./openai/index.js";
import { slackTwin } from "./slack/index.js";
import { stripeTwin } from "./stripe/index.js";

export const builtinTwins = [
  stripeTwin,
  githubTwin,
  slackTwin,
  npmRegistryTwin,
  openaiTwin,
  anthropicTwin,
] as TwinDefinition<unknown>[];

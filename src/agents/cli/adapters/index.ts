/** One adapter per external coding agent, by the name factory.yaml's `command` uses. */
import type { CliAdapter, CliCommand } from "../cli-adapter.js";
import { aiderAdapter } from "./aider.js";
import { claudeAdapter } from "./claude.js";
import { codexAdapter } from "./codex.js";
import { geminiAdapter } from "./gemini.js";
import { opencodeAdapter } from "./opencode.js";

export const cliAdapters: Record<CliCommand, CliAdapter> = {
  claude: claudeAdapter,
  codex: codexAdapter,
  opencode: opencodeAdapter,
  gemini: geminiAdapter,
  aider: aiderAdapter,
};

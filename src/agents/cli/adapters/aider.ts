/**
 * Aider, headless: `aider --message <prompt> --yes-always --no-auto-commits`. Plain text, no
 * event stream and no closing verdict, so a run is judged on our own checks alone (it ended
 * by itself, exit 0, no error line). Read from its lines: `Applied edit to <path>`,
 * `Running <command>`, and `Tokens: 2.1k sent, 312 received. Cost: $0.01 message, $0.03 session.`
 */
import type { CliAdapter, DefaultFlag } from "../cli-adapter.js";
import { defaults } from "../cli-adapter.js";
import { providerEnv } from "./provider-env.js";

const APPLIED = /^Applied edit to (.+?)\s*$/;
const RUNNING = /^Running (.+?)\s*$/;
const TOKENS = /^Tokens: (.+?)\. Cost: .*\$([\d.]+) session/;
const ERROR =
  /^(litellm\.\w*(Error|Exception)\b|Error:|ERROR:|Traceback \(most recent call last\))/;
/** Models aider sends to Anthropic when they have no provider prefix. */
const ANTHROPIC_MODEL = /^(claude|sonnet|opus|haiku)/;

export const aiderAdapter: CliAdapter = {
  command: "aider",
  reportsOutcome: false,
  args({ prompt, model, home, extraArgs }) {
    const ours: DefaultFlag[] = [
      // Git is the orchestrator's (DESIGN §5), and the git directory is not in the sandbox.
      { flag: "--no-git", unless: ["--git"] },
      // Aider keeps its history beside the repository by default, which is the worktree.
      { flag: "--chat-history-file", value: `${home}/.aider.chat.history.md` },
      { flag: "--input-history-file", value: `${home}/.aider.input.history` },
      // Nothing that reaches the network on its own, and no colours in what we parse.
      { flag: "--no-check-update" },
      { flag: "--analytics-disable" },
      { flag: "--no-show-release-notes" },
      { flag: "--no-pretty", unless: ["--pretty"] },
    ];
    if (model) ours.push({ flag: "--model", value: model });
    return [
      ...["--message", prompt, "--yes-always", "--no-auto-commits"],
      ...defaults(ours, extraArgs),
      ...extraArgs,
    ];
  },
  env(credentials, model) {
    const fallback = model && ANTHROPIC_MODEL.test(model) ? "anthropic" : "openai";
    const names = providerEnv("aider", model, credentials, fallback);
    const env: Record<string, string> = {};
    const keyEnv = credentials.keyEnv ?? names?.keyEnv;
    if (keyEnv && credentials.apiKey !== undefined) env[keyEnv] = credentials.apiKey;
    const baseUrlEnvs = credentials.baseUrlEnv ? [credentials.baseUrlEnv] : names?.baseUrlEnvs;
    if (credentials.baseUrl !== undefined)
      for (const name of baseUrlEnvs ?? []) env[name] = credentials.baseUrl;
    return env;
  },
  parser(state) {
    let sent = 0;
    let received = 0;
    return (line) => {
      const applied = APPLIED.exec(line);
      const running = RUNNING.exec(line);
      const tokens = TOKENS.exec(line);
      if (applied?.[1]) state.changed("edit", applied[1], true, "applied");
      else if (running?.[1]) state.ran(running[1], null, "");
      else if (tokens?.[1]) {
        // Per message; the session cost on the same line is already a running total.
        sent += count(/([\d.]+[kKmM]?) sent/.exec(tokens[1])?.[1]);
        received += count(/([\d.]+[kKmM]?) received/.exec(tokens[1])?.[1]);
        state.tokens.input = sent;
        state.tokens.output = received;
        state.costUsd = Number(tokens[2]);
      } else if (ERROR.test(line)) state.error(line);
    };
  },
};

/** Aider rounds: `2.1k` is 2 100 tokens. */
function count(text: string | undefined): number {
  if (!text) return 0;
  const scale = /[kK]$/.test(text) ? 1_000 : /[mM]$/.test(text) ? 1_000_000 : 1;
  return Math.round(Number.parseFloat(text) * scale) || 0;
}

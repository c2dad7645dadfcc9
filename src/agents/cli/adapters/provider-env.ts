/** Which variables carry the key and base URL for a model named `provider/model` (opencode, aider). */
import { InputError } from "../../../common/index.js";
import type { CliCommand, CliCredentials } from "../cli-adapter.js";

export interface ProviderEnv {
  provider: string;
  keyEnv: string;
  /** LiteLLM (under aider) reads either name, depending on its version. */
  baseUrlEnvs: string[];
}

const KNOWN: Record<string, [keyEnv: string, ...baseUrlEnvs: string[]]> = {
  anthropic: ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_BASE"],
  openai: ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE"],
  google: ["GOOGLE_GENERATIVE_AI_API_KEY"],
  gemini: ["GEMINI_API_KEY", "GEMINI_API_BASE"],
  openrouter: ["OPENROUTER_API_KEY", "OPENROUTER_API_BASE"],
};

/**
 * The provider is the model's prefix (`anthropic/claude-sonnet-4-5`); `fallback` is used when
 * the model has none. An unknown provider's key is `<PROVIDER>_API_KEY`, as both tools expect.
 * Throws when a key is given but nothing says which variable it belongs in.
 */
export function providerEnv(
  command: CliCommand,
  model: string | undefined,
  credentials: CliCredentials,
  fallback: string | undefined,
): ProviderEnv | undefined {
  const provider = model?.includes("/") ? model.slice(0, model.indexOf("/")) : fallback;
  if (provider === undefined) {
    if (credentials.apiKey === undefined || credentials.keyEnv !== undefined) return undefined;
    throw new InputError(
      "cli-key-variable-unknown",
      `${command} was given an API key, but its model does not say which provider the key is for`,
      { hint: "set the agent's model as provider/model (anthropic/..., openai/...)" },
    );
  }
  const known = KNOWN[provider.toLowerCase()];
  const upper = provider.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  const [keyEnv, ...baseUrlEnvs] = known ?? [`${upper}_API_KEY`, `${upper}_API_BASE`];
  return { provider, keyEnv, baseUrlEnvs };
}

/** The variables each tool reads its key and base URL from, when its model does not say. */
const OWN: Partial<Record<CliCommand, [keyEnv: string, baseUrlEnv: string]>> = {
  claude: ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"],
  codex: ["OPENAI_API_KEY", "OPENAI_BASE_URL"],
  gemini: ["GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"],
};

/**
 * The credentials a tool gets, read from the factory's environment under the names the tool
 * itself uses, so a user sets them once, as the tool's own docs say.
 */
export function credentialsFromEnv(
  command: CliCommand,
  model: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): CliCredentials {
  const own = OWN[command];
  const names = own
    ? { keyEnv: own[0], baseUrlEnv: own[1] }
    : (() => {
        const found = providerEnv(command, model, {}, undefined);
        return found ? { keyEnv: found.keyEnv, baseUrlEnv: found.baseUrlEnvs[0] } : undefined;
      })();
  if (!names) return {};
  const apiKey = env[names.keyEnv];
  const baseUrl = names.baseUrlEnv ? env[names.baseUrlEnv] : undefined;
  return { ...(apiKey ? { apiKey } : {}), ...(baseUrl ? { baseUrl } : {}) };
}

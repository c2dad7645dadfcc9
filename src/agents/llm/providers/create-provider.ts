/** Builds the provider an `llm` agent in factory.yaml names, with the vendors' variables as fallbacks. */
import { InputError } from "../../../common/index.js";
import type { LlmProvider } from "../provider.js";
import { createAnthropicProvider } from "./anthropic/anthropic-provider.js";
import { createOpenAiProvider } from "./openai/openai-provider.js";

/** The fields of an `llm` agent's config that choose and reach its provider. */
export interface ProviderConfig {
  provider: "openai" | "anthropic";
  base_url?: string | undefined;
  /** The variable that holds the key; the key itself is never in factory.yaml. */
  api_key_env?: string | undefined;
}

export type ProviderEnv = Readonly<Record<string, string | undefined>>;

export interface CreateProviderOptions {
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

const vendors = {
  openai: { keyVar: "OPENAI_API_KEY", urlVar: "OPENAI_BASE_URL", create: createOpenAiProvider },
  anthropic: {
    keyVar: "ANTHROPIC_API_KEY",
    urlVar: "ANTHROPIC_BASE_URL",
    create: createAnthropicProvider,
  },
} as const;

/** Sent to a server on this machine that asks for no key (Ollama, llama.cpp, a twin). */
const LOCAL_PLACEHOLDER_KEY = "no-key-needed";

/**
 * The provider for `config`: the key from `api_key_env` or else the vendor's variable
 * (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`); the server from `base_url` or else the vendor's
 * variable (`OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`) or else the vendor's own API. A variable
 * named by `api_key_env` has no fallback: a key silently taken from elsewhere could bill
 * another account. Throws an `InputError` when no key is set, except for a server on loopback.
 */
export function createProvider(
  config: ProviderConfig,
  env: ProviderEnv,
  options: CreateProviderOptions = {},
): LlmProvider {
  const vendor = vendors[config.provider];
  const baseUrl = config.base_url || env[vendor.urlVar] || undefined;
  if (baseUrl !== undefined && !URL.canParse(baseUrl))
    throw new InputError(
      "provider-base-url-invalid",
      `the ${config.provider} base URL from ${vendor.urlVar} is not a URL`,
      { hint: `set ${vendor.urlVar} to the server's address, e.g. http://127.0.0.1:11434/v1` },
    );
  const keyVar = config.api_key_env ?? vendor.keyVar;
  let apiKey = env[keyVar] || undefined;
  if (apiKey === undefined) {
    if (baseUrl === undefined || !isLoopback(baseUrl))
      throw new InputError(
        "provider-key-missing",
        `the ${config.provider} provider needs an API key, and ${keyVar} is not set`,
        {
          hint:
            `export ${keyVar}=<your key> before running the factory` +
            (config.api_key_env ? "" : ", or name another variable with api_key_env") +
            " (a server that wants no key accepts any value)",
        },
      );
    apiKey = LOCAL_PLACEHOLDER_KEY;
  }
  return vendor.create({
    apiKey,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

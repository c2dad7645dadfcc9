/**
 * Secrets never reach the store, a log or an export: every audit entry and log line goes
 * through a redactor that knows the values of secret variables and the shapes of common tokens.
 */

/** Token shapes worth recognising on sight; each match is replaced by `[REDACTED:<name>]`. */
const tokenShapes: readonly { name: string; pattern: RegExp }[] = [
  {
    name: "private-key",
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  },
  {
    name: "github-token",
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g,
  },
  { name: "anthropic-key", pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { name: "openai-key", pattern: /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}/g },
  {
    name: "stripe-key",
    pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b|\bwhsec_[A-Za-z0-9]{16,}\b/g,
  },
  { name: "slack-token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { name: "slack-webhook", pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g },
  { name: "aws-access-key", pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g },
  { name: "npm-token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { name: "google-api-key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { name: "bearer", pattern: /(?<=\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{16,}/g },
  { name: "url-password", pattern: /(?<=:\/\/[^/\s:@]+:)[^/\s@]+(?=@)/g },
];

/** One pass over the text for all shapes; each shape is one capture group, so the match says which. */
const anyTokenShape = new RegExp(
  tokenShapes.map(({ pattern }) => `(${pattern.source})`).join("|"),
  "g",
);

/** Keys whose values are secrets whatever they look like. */
const secretKey =
  /(?:^|[_-])(?:password|passwd|secret|token|api[_-]?key|private[_-]?key|authorization|cookie|credentials?)$/i;

/** Environment variable names that hold secrets unless a config says otherwise. */
const secretVariableName =
  /(?:TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?|_AUTH|_KEY)$/i;

/** Shorter values are too likely to occur by chance ("1", "true") to be replaced everywhere. */
const MIN_SECRET_LENGTH = 8;

export interface Redactor {
  /** A deep copy of `value` with every secret replaced; strings, arrays and plain objects are walked. */
  redact<T>(value: T): T;
  redactText(text: string): string;
}

export interface RedactorOptions {
  /** Literal secret values, e.g. from `secretValuesFromEnv`. */
  secretValues?: Iterable<string>;
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...new Set(options.secretValues ?? [])]
    .filter((v) => v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);

  const redactText = (text: string): string => {
    let out = text;
    for (const value of values) if (out.includes(value)) out = out.split(value).join("[REDACTED]");
    return out.replace(anyTokenShape, (...groups: unknown[]) => {
      const index = groups.slice(1, tokenShapes.length + 1).findIndex((g) => g !== undefined);
      return `[REDACTED:${tokenShapes[index]?.name ?? "token"}]`;
    });
  };

  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === "string") {
      return key !== undefined && secretKey.test(key) && value.length > 0
        ? "[REDACTED]"
        : redactText(value);
    }
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (
      value !== null &&
      typeof value === "object" &&
      Object.getPrototypeOf(value) === Object.prototype
    ) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactText(k), walk(v, k)]));
    }
    return value;
  };

  return { redact: <T>(value: T) => walk(value) as T, redactText };
}

/**
 * The values of variables that hold secrets: every name in `secretNames`, and every name
 * that looks like a secret's (`*_TOKEN`, `*_API_KEY`, `*_PASSWORD`, ...).
 */
export function secretValuesFromEnv(
  env: NodeJS.ProcessEnv,
  secretNames: Iterable<string> = [],
): string[] {
  const named = new Set(secretNames);
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value && (named.has(name) || secretVariableName.test(name))) out.push(value);
  }
  return out;
}

/**
 * Secrets in the lines a change adds, found by secretlint's recommended rules, in-process and
 * offline. A finding says what kind of secret and where, never the secret itself.
 */
import type { SecretFinding } from "./change-facts.js";

export interface SecretScanFile {
  path: string;
  text: string;
  /** 1-based numbers of the lines the change added; secrets elsewhere were there before. */
  addedLines: ReadonlySet<number>;
}

const FILTER_COMMENTS = "@secretlint/secretlint-rule-filter-comments";
const AWS = "@secretlint/secretlint-rule-aws";

// Registered one by one rather than as the preset, to leave out the rule that honours
// `secretlint-disable` comments: the author of the change could write one above its secret.
// The AWS rule's access key id scan is off by default; an id alone is worth flagging here.
type LintSource = typeof import("@secretlint/core").lintSource;
type SecretLintCoreConfig = Parameters<LintSource>[0]["options"]["config"];

// Loaded on first use, not with every command of the CLI.
let scanner:
  | Promise<{
      lintSource: typeof import("@secretlint/core").lintSource;
      config: SecretLintCoreConfig;
    }>
  | undefined;
function loadScanner() {
  scanner ??= (async () => {
    const { lintSource } = await import("@secretlint/core");
    const { rules: recommended } = await import("@secretlint/secretlint-rule-preset-recommend");
    const config = {
      rules: recommended
        .filter((rule) => rule.meta.id !== FILTER_COMMENTS)
        .map((rule) => ({
          id: rule.meta.id,
          rule,
          options: rule.meta.id === AWS ? { enableIDScanRule: true } : {},
        })),
    } as SecretLintCoreConfig;
    return { lintSource, config };
  })();
  return scanner;
}

const DESCRIPTIONS: Record<string, string> = {
  AWSAccessKeyID: "an AWS access key id",
  AWSSecretAccessKey: "an AWS secret access key",
  AWSAccountID: "an AWS account id",
  PrivateKeyP12: "a GCP service account private key (p12)",
  PrivateKeyJSON: "a GCP service account private key (json)",
  PackageJSON_xOauthToken: "an npm token in package.json",
  Npmrc_authToken: "an npm auth token in .npmrc",
  NPM_ACCESS_TOKEN: "an npm access token",
  SLACK_TOKEN: "a Slack token",
  IncomingWebhook: "a Slack incoming webhook URL",
  BasicAuth: "a password in a URL (basic auth)",
  OPENAI_TOKEN: "an OpenAI API key",
  ANTHROPIC_API_KEY: "an Anthropic API key",
  LINEAR_API_TOKEN: "a Linear API token",
  PrivateKey: "a private key",
  SENDGRID_KEY: "a SendGrid API key",
  SHOPIFY_KEY: "a Shopify token",
  GITHUB_TOKEN: "a GitHub token",
  OPS_TOKEN: "a 1Password service account token",
  MongoDBConnection: "a MongoDB connection string with a password",
  MySQLConnection: "a MySQL connection string with a password",
  PostgreSQLConnection: "a PostgreSQL connection string with a password",
};

/**
 * Secrets on added lines. A secret spanning several lines (a private key) counts when any of
 * its lines is added. The message is a fixed description of the kind of secret.
 */
export async function scanSecrets(files: readonly SecretScanFile[]): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  const { lintSource, config } = await loadScanner();
  for (const file of files) {
    if (file.addedLines.size === 0) continue;
    const result = await lintSource({
      source: { filePath: file.path, content: file.text, contentType: "text" },
      // Masked too, in case a message is ever passed on by mistake.
      options: { config, maskSecrets: true },
    });
    for (const message of result.messages) {
      const { start, end } = message.loc;
      let added = false;
      for (let line = start.line; line <= end.line && !added; line++)
        added = file.addedLines.has(line);
      if (!added) continue;
      findings.push({
        file: file.path,
        line: start.line,
        message: `found ${DESCRIPTIONS[message.messageId] ?? `a secret (${shortRule(message.ruleId)})`}`,
        rule: message.ruleId,
      });
    }
  }
  return findings;
}

const shortRule = (ruleId: string): string => ruleId.replace(/^@secretlint\/secretlint-rule-/, "");

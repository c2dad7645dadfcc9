import { describe, expect, it } from "vitest";
import { createRedactor, secretValuesFromEnv } from "./redact.js";

const ghToken = `ghp_${"a1B2c3D4e5".repeat(4)}`;

describe("createRedactor", () => {
  it("replaces known token shapes wherever they sit in text", () => {
    const { redactText } = createRedactor();
    const samples: [string, string][] = [
      [`push with ${ghToken} now`, "github-token"],
      ["key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123", "anthropic-key"],
      ["OPENAI=sk-proj-abcdefghijklmnopqrstuvwx", "openai-key"],
      ["stripe sk_live_51Habcdefghijklmnop", "stripe-key"],
      ["AKIAIOSFODNN7EXAMPLE in config", "aws-access-key"],
      ["xoxb-123456789012-abcdefghij", "slack-token"],
      ["Authorization: Bearer abcdef0123456789abcdef", "bearer"],
      ["postgres://app:hunter2hunter2@db:5432/x", "url-password"],
      ["-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "private-key"],
      ["npm_abcdefghijklmnopqrstuvwxyz0123456789", "npm-token"],
    ];
    for (const [text, kind] of samples) {
      const out = redactText(text);
      expect(out, text).toContain(`[REDACTED:${kind}]`);
    }
    expect(redactText(`push with ${ghToken} now`)).toBe("push with [REDACTED:github-token] now");
    expect(redactText("postgres://app:hunter2hunter2@db:5432/x")).toBe(
      "postgres://app:[REDACTED:url-password]@db:5432/x",
    );
  });

  it("leaves ordinary text alone", () => {
    const { redactText } = createRedactor();
    const text =
      "WHEN a refund is requested THE SYSTEM SHALL respond 201 within 200 ms; see https://example.test/a";
    expect(redactText(text)).toBe(text);
  });

  it("replaces the literal values it is given, longest first", () => {
    const r = createRedactor({
      secretValues: ["correct-horse-battery", "correct-horse-battery-staple", "short"],
    });
    expect(r.redactText("x correct-horse-battery-staple y correct-horse-battery z short")).toBe(
      "x [REDACTED] y [REDACTED] z short",
    );
  });

  it("walks objects and arrays, blanking values under secret-looking keys", () => {
    const r = createRedactor({ secretValues: ["the-secret-value"] });
    const input = {
      output: ["ok", "leaked: the-secret-value"],
      headers: { Authorization: "anything", accept: "json" },
      password: "p",
      n: 3,
    };
    expect(r.redact(input)).toEqual({
      output: ["ok", "leaked: [REDACTED]"],
      headers: { Authorization: "[REDACTED]", accept: "json" },
      password: "[REDACTED]",
      n: 3,
    });
    expect(input.output[1]).toBe("leaked: the-secret-value");
  });
});

describe("secretValuesFromEnv", () => {
  it("takes variables named like secrets and those named in config, and nothing else", () => {
    const env = {
      GITHUB_TOKEN: "tok-1234567",
      STRIPE_API_KEY: "key-abcdefg",
      MY_VAR: "plain-value",
      HOME: "/root",
      DB_PASSWORD: "pw-pw-pw-pw",
    };
    expect(secretValuesFromEnv(env, ["MY_VAR"]).sort()).toEqual([
      "key-abcdefg",
      "plain-value",
      "pw-pw-pw-pw",
      "tok-1234567",
    ]);
    expect(secretValuesFromEnv(env)).not.toContain("plain-value");
  });
});

import { describe, expect, it } from "vitest";
import { scanSecrets } from "./secret-scan.js";

// Built by concatenation so this file holds no literal secret for a scanner to trip on.
const awsKeyId = "AKIA" + "Z7QWERTYUIOPASDF";
const githubToken = ["ghp_", "a".repeat(10), "B1c2D3e4F5g6H7i8J9k0L1m2N3"].join("");
const keyBody = Array.from({ length: 5 }, (_, i) =>
  ("MIIEowIBAAKCAQEA7v3" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU").slice(i),
).join("\n");
const privateKey = [
  "-----BEGIN RSA " + "PRIVATE KEY-----",
  keyBody,
  "-----END RSA " + "PRIVATE KEY-----",
].join("\n");

const text = [
  "export const config = {", // 1
  `  aws: "${awsKeyId}",`, // 2
  `  github: "${githubToken}",`, // 3
  "};", // 4
  "const key = `", // 5
  privateKey, // 6..12
  "`;",
  "",
].join("\n");
const all = new Set(text.split("\n").map((_, i) => i + 1));

describe("scanSecrets", () => {
  it("finds an AWS key id, a GitHub token and a private key on added lines, without their values", async () => {
    const findings = await scanSecrets([{ path: "src/config.ts", text, addedLines: all }]);
    expect(findings.map((f) => [f.line, f.rule, f.message])).toEqual([
      [2, "@secretlint/secretlint-rule-aws", "found an AWS access key id"],
      [3, "@secretlint/secretlint-rule-github", "found a GitHub token"],
      [6, "@secretlint/secretlint-rule-privatekey", "found a private key"],
    ]);
    const said = JSON.stringify(findings);
    for (const secret of [awsKeyId, githubToken, keyBody.split("\n")[0] as string])
      expect(said).not.toContain(secret);
    expect(findings.every((f) => f.file === "src/config.ts")).toBe(true);
  });

  it("does not report a secret on a line the change did not add", async () => {
    const findings = await scanSecrets([{ path: "a.ts", text, addedLines: new Set([3]) }]);
    expect(findings.map((f) => f.rule)).toEqual(["@secretlint/secretlint-rule-github"]);
    expect(await scanSecrets([{ path: "a.ts", text, addedLines: new Set([1, 4]) }])).toEqual([]);
  });

  it("reports a private key when only its middle line was added", async () => {
    const findings = await scanSecrets([{ path: "a.ts", text, addedLines: new Set([8]) }]);
    expect(findings.map((f) => f.rule)).toEqual(["@secretlint/secretlint-rule-privatekey"]);
  });

  it("is not silenced by a secretlint-disable comment the change adds", async () => {
    const hidden = `// secretlint-disable\nconst t = "${githubToken}"; // secretlint-disable-line\n`;
    const findings = await scanSecrets([
      { path: "a.ts", text: hidden, addedLines: new Set([1, 2]) },
    ]);
    expect(findings.map((f) => f.line)).toEqual([2]);
  });

  it("finds nothing in ordinary code", async () => {
    const code = 'export const greeting = "hello";\nconst id = "AKIA-not-a-key";\n';
    expect(await scanSecrets([{ path: "a.ts", text: code, addedLines: new Set([1, 2]) }])).toEqual(
      [],
    );
  });
});

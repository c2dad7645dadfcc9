import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBwrapSandbox } from "./bwrap-sandbox.js";
import { createProcessSandbox } from "./process-sandbox.js";
import { runLimited } from "./run-limited.js";
import { createSandboxFixture, type SandboxFixture, strayProcesses } from "./sandbox.fixture.js";

type Chunk = { stream: "stdout" | "stderr"; text: string };

const sh = (command: string, extra: Partial<Parameters<typeof runLimited>[0]> = {}) =>
  runLimited({
    argv: ["/bin/sh", "-c", command],
    cwd: "/",
    env: { PATH: "/usr/bin:/bin" },
    user: undefined,
    timeoutMs: 10_000,
    maxOutputBytes: 1024 * 1024,
    signal: undefined,
    ...extra,
  });

describe("runLimited's onOutput", () => {
  it("tells each stream's output as it arrives, so the caller can stop the run early", async () => {
    const controller = new AbortController();
    const chunks: Chunk[] = [];
    const result = await sh("echo first; echo oops >&2; sleep 10; echo never", {
      signal: controller.signal,
      onOutput: (stream, text) => {
        chunks.push({ stream, text });
        if (chunks.some((chunk) => chunk.stream === "stderr")) controller.abort();
      },
    });
    expect(result.signal).toBe("SIGKILL");
    expect(result.ms).toBeLessThan(5_000);
    expect(chunks).toContainEqual({ stream: "stdout", text: "first\n" });
    expect(chunks).toContainEqual({ stream: "stderr", text: "oops\n" });
    expect(chunks.map((chunk) => chunk.text).join("")).not.toContain("never");
  });

  it("never splits a character between two chunks", async () => {
    const chunks: string[] = [];
    await sh("printf 'caf\\303'; sleep 0.2; printf '\\251\\n'", {
      onOutput: (_stream, text) => chunks.push(text),
    });
    expect(chunks.join("")).toBe("café\n");
    expect(chunks.join("")).not.toContain("\uFFFD");
  });

  it("sees what passes maxOutputBytes, which the result drops", async () => {
    let seen = "";
    const result = await sh("printf 'abcdefghij'", {
      maxOutputBytes: 4,
      onOutput: (_stream, text) => {
        seen += text;
      },
    });
    expect(result).toMatchObject({ stdout: "abcd", outputTruncated: true });
    expect(seen).toBe("abcdefghij");
  });

  it("kills the process group and rejects with the listener's error when it throws", async () => {
    const marker = `df-listener-${randomUUID()}`;
    const run = sh(`echo go; sleep 30 & : ${marker}; sleep 30; : ${marker}`, {
      onOutput: () => {
        throw new Error("listener bug");
      },
    });
    await expect(run).rejects.toThrow("listener bug");
    expect(await strayProcesses(marker)).toEqual([]);
  });
});

describe("both sandboxes pass onOutput on", () => {
  let fx: SandboxFixture;
  beforeAll(async () => {
    fx = await createSandboxFixture();
  });
  afterAll(() => fx.cleanup());

  for (const [name, create] of [
    ["bwrap", createBwrapSandbox],
    ["process", createProcessSandbox],
  ] as const) {
    it(name, async () => {
      const chunks: Chunk[] = [];
      const result = await create().run({
        command: "echo out; echo err >&2",
        worktree: fx.worktree,
        timeoutMs: 10_000,
        onOutput: (stream, text) => chunks.push({ stream, text }),
      });
      expect(result.exitCode).toBe(0);
      expect(chunks).toEqual(
        expect.arrayContaining([
          { stream: "stdout", text: "out\n" },
          { stream: "stderr", text: "err\n" },
        ]),
      );
    });
  }
});

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../common/index.js";
import { COVERED, HEADER } from "./intent-text.fixture.js";
import { lintIntentFile } from "./lint-intent-file.js";

describe("lintIntentFile", () => {
  it("lints the file at the path and names it in every diagnostic", async () => {
    const dir = await mkdtemp(join(tmpdir(), "intent-"));
    const file = join(dir, "refunds.md");
    await writeFile(file, `---\n${HEADER}${COVERED}risk: extreme\n---\n`);
    const result = await lintIntentFile(file);
    expect(result.file).toBe(file);
    expect(result.diagnostics).toMatchObject([{ rule: "risk-range", file, line: 13 }]);
  });

  it("throws an InputError with exit code 2 when the file does not exist", async () => {
    const missing = join(tmpdir(), "no-such-dir-for-intents", "nope.md");
    const error = await lintIntentFile(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "intent-not-found", exitCode: 2 });
    expect((error as InputError).message).toContain(missing);
    expect((error as InputError).hint).toBeTruthy();
  });

  it("throws the same error for a directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "intent-"));
    await expect(lintIntentFile(dir)).rejects.toMatchObject({
      code: "intent-not-found",
      exitCode: 2,
      message: expect.stringContaining("is a directory"),
    });
  });
});

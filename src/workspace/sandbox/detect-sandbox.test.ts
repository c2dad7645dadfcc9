import { describe, expect, it } from "vitest";
import { createSandbox, detectSandbox } from "./detect-sandbox.js";

describe("detectSandbox", () => {
  it("finds bwrap usable here, and probes once", async () => {
    const first = detectSandbox();
    expect(detectSandbox()).toBe(first);
    const detection = await first;
    // Fails rather than skips: CI installs bubblewrap, and a silent fallback is the bug.
    expect(detection.mode, detection.reason).toBe("bwrap");
    expect((await createSandbox()).mode).toBe("bwrap");
  });

  it("falls back to the process sandbox, with a reason, when bwrap is missing", async () => {
    const detection = await detectSandbox({ bwrapPath: "/nonexistent/bwrap" });
    expect(detection.mode).toBe("process");
    expect(detection.reason).toMatch(/\/nonexistent\/bwrap.*file system.*network/);
    expect((await createSandbox({ bwrapPath: "/nonexistent/bwrap" })).mode).toBe("process");
  });

  it("falls back when bwrap runs but cannot sandbox", async () => {
    const detection = await detectSandbox({ bwrapPath: "/bin/false" });
    expect(detection).toMatchObject({ mode: "process" });
    expect(detection.reason).toMatch(/failed a probe \(exit 1/);
  });
});

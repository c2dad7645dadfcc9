import { describe, expect, it } from "vitest";
import { retryAfterMs } from "./retry-after.js";

const now = Date.parse("2026-11-06T12:00:00Z");
const at = (headers: Record<string, string>) => retryAfterMs(new Headers(headers), now);

describe("retryAfterMs", () => {
  it("reads seconds, milliseconds and HTTP dates", () => {
    expect(at({ "retry-after": "20" })).toBe(20_000);
    expect(at({ "retry-after": "1.5" })).toBe(1500);
    expect(at({ "retry-after-ms": "250" })).toBe(250);
    expect(at({ "retry-after": "Fri, 06 Nov 2026 12:00:30 GMT" })).toBe(30_000);
  });

  it("prefers the more precise retry-after-ms", () => {
    expect(at({ "retry-after": "20", "retry-after-ms": "19500" })).toBe(19_500);
  });

  it("never waits a negative time, and ignores what it cannot read", () => {
    expect(at({ "retry-after": "Fri, 06 Nov 2026 11:00:00 GMT" })).toBe(0);
    expect(at({ "retry-after": "soon" })).toBeUndefined();
    expect(at({ "retry-after": "-5" })).toBeUndefined();
    expect(at({ "retry-after-ms": "later", "retry-after": "3" })).toBe(3000);
    expect(at({})).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

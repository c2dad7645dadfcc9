import { describe, expect, it } from "vitest";
import { printable } from "./printable.js";

describe("printable", () => {
  it("keeps text, newlines and tabs, and defuses escape sequences an agent could print", () => {
    expect(printable("ok\tdone\nnext ✓")).toBe("ok\tdone\nnext ✓");
    expect(printable("a\x1b[2Khidden\x1b]0;title\x07b\rc\x9b")).toBe(
      "a\ufffd[2Khidden\ufffd]0;title\ufffdb\ufffdc\ufffd",
    );
  });
});

import { describe, expect, it } from "vitest";
import { parseStylesheet } from "./parse-stylesheet.js";

describe("parseStylesheet", () => {
  it("parses the four selectors with their specificity, in order (§8.2, §8.3)", () => {
    const parsed = parseStylesheet(`
      * { llm_model: claude-sonnet-4-5; llm_provider: anthropic; }
      box { llm_model: "claude-opus-4-6" }
      .code { llm_model: claude-opus-4-6; reasoning_effort: medium }
      #critical_review { llm_model: gpt-5.2; llm_provider: openai; reasoning_effort: high; }
    `);
    expect(parsed).toEqual({
      ok: true,
      rules: [
        {
          selector: { kind: "universal" },
          specificity: 0,
          order: 0,
          declarations: [
            { property: "llm_model", value: "claude-sonnet-4-5" },
            { property: "llm_provider", value: "anthropic" },
          ],
        },
        {
          selector: { kind: "shape", name: "box" },
          specificity: 1,
          order: 1,
          declarations: [{ property: "llm_model", value: "claude-opus-4-6" }],
        },
        {
          selector: { kind: "class", name: "code" },
          specificity: 2,
          order: 2,
          declarations: [
            { property: "llm_model", value: "claude-opus-4-6" },
            { property: "reasoning_effort", value: "medium" },
          ],
        },
        {
          selector: { kind: "id", name: "critical_review" },
          specificity: 3,
          order: 3,
          declarations: [
            { property: "llm_model", value: "gpt-5.2" },
            { property: "llm_provider", value: "openai" },
            { property: "reasoning_effort", value: "high" },
          ],
        },
      ],
    });
  });

  it("accepts blank text, empty rules and model IDs with slashes", () => {
    expect(parseStylesheet("  \n ")).toEqual({ ok: true, rules: [] });
    const parsed = parseStylesheet(".fast{}#x{llm_model:openrouter/meta-llama@v1}");
    expect(parsed.ok && parsed.rules.map((r) => r.declarations)).toEqual([
      [],
      [{ property: "llm_model", value: "openrouter/meta-llama@v1" }],
    ]);
  });

  const refusals: Array<[string, string, number, RegExp, RegExp | undefined]> = [
    [
      "a misspelt property",
      "* { llm_modle: x }",
      4,
      /unknown property llm_modle/,
      /did you mean llm_model/,
    ],
    ["a CSS property", "* { color: red }", 4, /unknown property color/, /llm_model, llm_provider/],
    [
      "a bad reasoning_effort",
      "* { reasoning_effort: max }",
      22,
      /not low, medium or high/,
      undefined,
    ],
    ["a missing colon", "* { llm_model x }", 14, /expected : after llm_model/, undefined],
    ["a missing brace", "* llm_model: x }", 2, /expected \{ after the selector/, undefined],
    ["an unclosed rule", "* { llm_model: x;", 17, /expected \} to close the rule/, undefined],
    [
      "a missing semicolon",
      "* { llm_model: x llm_provider: y }",
      17,
      /expected ; or \}/,
      undefined,
    ],
    ["a selector list", "a, b { llm_model: x }", 1, /selector lists/, /one rule per selector/],
    ["a bad selector", "> { llm_model: x }", 0, /expected a selector/, undefined],
    ["an empty class", ". { llm_model: x }", 1, /expected a class name/, undefined],
    ["an unterminated value", '* { llm_model: "x }', 15, /unterminated string/, undefined],
    ["a missing value", "* { llm_model: ; }", 15, /expected a value/, undefined],
  ];
  it.each(refusals)("refuses %s: %s", (_name, text, offset, message, hint) => {
    const parsed = parseStylesheet(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.offset).toBe(offset);
    expect(parsed.message).toMatch(message);
    if (hint) expect(parsed.hint).toMatch(hint);
  });
});

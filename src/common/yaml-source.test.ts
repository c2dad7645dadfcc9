import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseLocatedYaml, shapeKeysAt, zodIssuesToDiagnostics } from "./yaml-source.js";

const schema = z.strictObject({
  name: z.string(),
  items: z.array(z.strictObject({ id: z.string(), size: z.number().optional() })),
  mode: z.enum(["fast", "safe"]).default("safe"),
});

describe("parseLocatedYaml", () => {
  it("locates values and keys, shifted by the front-matter offset", () => {
    const source = parseLocatedYaml("name: a\nitems:\n  - id: x\n    size: 3\n", "f.yaml", 1);
    expect(source.locate(["items", 0, "size"])).toEqual({ line: 5, column: 11 });
    expect(source.locate(["items", 0, "size"], { key: true })).toEqual({ line: 5, column: 5 });
    // An absent path points at its nearest existing parent.
    expect(source.locate(["items", 0, "nope"])).toEqual({ line: 4, column: 5 });
  });

  it("reports syntax errors and duplicate keys with their line", () => {
    const source = parseLocatedYaml("name: a\nname: b\n", "f.yaml");
    expect(source.value).toBeUndefined();
    expect(source.syntaxIssues[0]).toMatchObject({ rule: "yaml-syntax", line: 2 });
  });
});

describe("zodIssuesToDiagnostics", () => {
  it("names the misspelt key, suggests the right one, and locates a missing field", () => {
    const source = parseLocatedYaml("name: a\nitems:\n  - idd: x\nmode: quick\n", "f.yaml");
    const result = schema.safeParse(source.value);
    expect(result.success).toBe(false);
    if (result.success) return;
    const diagnostics = zodIssuesToDiagnostics(result.error.issues, source, schema);
    const unknown = diagnostics.find((d) => d.message.includes('unknown field "idd"'));
    expect(unknown).toMatchObject({ line: 3, column: 5, hint: 'did you mean "id"?' });
    const missing = diagnostics.find((d) =>
      d.message.includes('missing required field "items.0.id"'),
    );
    expect(missing?.line).toBe(3);
    const enumIssue = diagnostics.find((d) => d.path === "mode");
    expect(enumIssue).toMatchObject({ line: 4, hint: 'use one of: "fast", "safe"' });
  });

  it("finds allowed keys through wrappers", () => {
    expect(shapeKeysAt(schema, ["items", 0])).toEqual(["id", "size"]);
    expect(shapeKeysAt(schema, [])).toEqual(["name", "items", "mode"]);
  });
});

describe("yaml-source edge cases", () => {
  it("turns an unresolvable alias and an alias bomb into syntax issues instead of throwing", () => {
    expect(parseLocatedYaml("x: 1\na: *nowhere\n", "f.yaml", 1).syntaxIssues[0]).toMatchObject({
      rule: "yaml-syntax",
      line: 3,
      column: 4,
    });
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(9)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(", ")}]`,
      );
    const source = parseLocatedYaml(`${bomb.join("\n")}\n`, "f.yaml");
    expect(source.value).toBeUndefined();
    expect(source.syntaxIssues).toHaveLength(1);
  });

  it("tells a wrong type from a missing field", () => {
    const source = parseLocatedYaml("name: 7\nitems: []\n", "f.yaml");
    const result = schema.safeParse(source.value);
    if (result.success) throw new Error("expected a failure");
    const [diagnostic] = zodIssuesToDiagnostics(result.error.issues, source, schema);
    expect(diagnostic).toMatchObject({ line: 1, hint: "expected string" });
    expect(diagnostic?.message).not.toContain("missing");
  });
});

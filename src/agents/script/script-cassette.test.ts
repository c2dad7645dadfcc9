import { describe, expect, it } from "vitest";
import { cassetteFromScript } from "./script-cassette.js";
import { parseAgentScript } from "./script-driver.js";

describe("cassetteFromScript", () => {
  it("turns each action of each attempt into a tool call matched by task, attempt and step", () => {
    const parsed = parseAgentScript(
      `version: 1
tasks:
  api:
    attempts:
      - actions:
          - write: { path: a.js, content: "1" }
          - finish: { summary: first }
      - actions:
          - edit: { path: a.js, old: "1", new: "2", all: true }
          - run: { command: npm test }
          - finish: { summary: second }
`,
      "builder.yaml",
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const { turns } = cassetteFromScript(parsed.value, 3);
    expect(turns.map((t) => t.id)).toEqual([
      "api-attempt-1-step-0",
      "api-attempt-1-step-1",
      "api-attempt-2-step-0",
      "api-attempt-2-step-1",
      "api-attempt-2-step-2",
      // Attempts past the list repeat the last one, as the script driver does.
      "api-attempt-3-step-0",
      "api-attempt-3-step-1",
      "api-attempt-3-step-2",
    ]);
    expect(turns[2]).toMatchObject({
      match: { last_user_contains: "(api, attempt 2)", step: 0 },
      reply: {
        tool_calls: [
          {
            name: "edit",
            input: { path: "a.js", old_text: "1", new_text: "2", replace_all: true },
          },
        ],
      },
    });
    expect(turns[3]?.reply.tool_calls[0]).toEqual({ name: "run", input: { command: "npm test" } });
  });
});

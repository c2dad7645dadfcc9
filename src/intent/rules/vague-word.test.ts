import { describe, expect, it } from "vitest";
import {
  COVERED,
  HEADER,
  lintYaml,
  requirementsYaml,
  where,
  withRule,
} from "../intent-text.fixture.js";

const vague = (yaml: string) => withRule(lintYaml(yaml), "vague-word");
/** File lines 2.. hold the YAML; the goal is the only prose, so only it can be vague. */
const goal = (yaml: string) => vague(`${HEADER.replace(/goal: .*\n/, yaml)}${COVERED}`);

describe("vague-word rule", () => {
  it("points at the word in a plain scalar", () => {
    const found = vague(requirementsYaml("WHEN asked THE SYSTEM SHALL respond fast with 201."));
    expect(where(found)).toEqual(["vague-word@8:52"]);
    expect(found[0]).toMatchObject({
      severity: "warning",
      message: '"fast" cannot be tested',
      hint: "state a bound: 'within 200 ms at the 95th percentile'",
      path: "requirements.0.statement",
    });
  });

  it("points at the word in double- and single-quoted scalars, past the quote", () => {
    expect(where(goal('goal: "Refund quickly, \\"etc.\\""\n'))).toEqual([
      "vague-word@5:15",
      "vague-word@5:26",
    ]);
    expect(where(goal("goal: 'It''s easy'\n"))).toEqual(["vague-word@5:14"]);
  });

  it("finds the line and column inside > and | block scalars", () => {
    const folded = goal("goal: >\n  Refund payments\n  in a seamless way.\n");
    expect(where(folded)).toEqual(["vague-word@7:8"]);
    const literal = goal("goal: |-\n  Refund payments.\n\n    Keep it simple.\n");
    expect(where(literal)).toEqual(["vague-word@8:13"]);
    // A comment on the header line is not part of the value, so it must not shift the match.
    const commented = goal("goal: > # was: keep it simple\n  Keep it simple.\n");
    expect(where(commented)).toEqual(["vague-word@6:11"]);
  });

  it("finds a phrase folded over two lines, at its first word", () => {
    expect(where(goal("goal: Refund payments as\n  soon as possible.\n"))).toEqual([
      "vague-word@5:23",
    ]);
    expect(where(goal("goal: >\n  Retry as\n  needed.\n"))).toEqual(["vague-word@6:9"]);
  });

  it("reports each occurrence at its own column, case-insensitively", () => {
    expect(where(goal("goal: Fast refunds, FAST reports, fast.\n"))).toEqual([
      "vague-word@5:7",
      "vague-word@5:21",
      "vague-word@5:35",
    ]);
  });

  it("gives each word its own rewrite", () => {
    const found = goal("goal: Refund and/or void payments, etc., in a user-friendly way.\n");
    expect(found.map((d) => [d.message, d.hint])).toEqual([
      ['"and/or" cannot be tested', "say 'and' or 'or', or list the combinations"],
      ['"etc." cannot be tested', "list every case"],
      ['"user-friendly" cannot be tested', expect.stringContaining("without help")],
    ]);
  });

  it("reads statements of every list and acceptance criteria, not titles", () => {
    const yaml = `${HEADER.replace("title: Refunds", "title: Fast refunds")}requirements:
  - id: REQ-1
    statement: WHEN asked THE SYSTEM SHALL respond 201.
constraints:
  - id: CON-1
    statement: THE SYSTEM SHALL use various clients.
edge_cases:
  - id: EDGE-1
    statement: IF the provider fails THEN THE SYSTEM SHALL retry several times.
security:
  - id: SEC-1
    statement: THE SYSTEM SHALL check tokens where appropriate.
acceptance:
  - id: AC-1
    covers: [REQ-1]
    criterion: Given many payments, then each response is 201.
`;
    expect(vague(yaml).map((d) => `${d.path}@${d.line}`)).toEqual([
      "constraints.0.statement@11",
      "edge_cases.0.statement@14",
      "security.0.statement@17",
      "acceptance.0.criterion@21",
    ]);
  });

  it("matches whole words only, and leaves 'support' alone", () => {
    const clean = "goal: Support breakfast orders, fasten handsome awesome stuff, etcetera.\n";
    expect(goal(clean)).toEqual([]);
    expect(vague(`${HEADER}${COVERED}`)).toEqual([]);
  });
});

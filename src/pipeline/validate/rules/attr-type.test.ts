import { describe, expect, it } from "vitest";
import { CLEAN, cleanWith, lint, only, where } from "../lint.fixture.js";

describe("attr_type", () => {
  it("refuses values of the wrong type, at the value", () => {
    const text = cleanWith(
      "default_max_retries=-1",
      "a [max_retries=three, max_visits=0, max_parallel=2.5, goal_gate=yes, prompt=x]",
      "b [timeout=900, join_policy=all, reasoning_effort=max, auto_status=1, allow_partial=True, prompt=x]",
      "work -> a [weight=heavy, loop_restart=maybe]",
      'c [timeout="0s", prompt=x]',
    );
    const messages = only(lint(text), "attr_type").map((d) => `${d.line}:${d.column} ${d.message}`);
    expect(messages).toEqual([
      '6:23 default_max_retries "-1" on the graph must be at least 0',
      '7:18 max_retries "three" on node a is not a whole number',
      '7:36 max_visits "0" on node a must be at least 1',
      '7:52 max_parallel "2.5" on node a is not a whole number',
      '7:67 goal_gate "yes" on node a is not true or false',
      '8:14 timeout "900" on node b is not a duration',
      '8:31 join_policy "all" on node b is not one of wait_all, first_success',
      '8:53 reasoning_effort "max" on node b is not one of low, medium, high',
      '8:70 auto_status "1" on node b is not true or false',
      '8:87 allow_partial "True" on node b is not true or false',
      '9:21 weight "heavy" on edge work -> a is not a whole number',
      '9:41 loop_restart "maybe" on edge work -> a is not true or false',
      '10:15 timeout "0s" on node c must be above 0',
    ]);
    expect(only(lint(text), "attr_type").every((d) => d.severity === "error" && d.hint)).toBe(true);
  });

  it("reports a bad default once, where the default block wrote it", () => {
    const text = cleanWith(
      'node [timeout="soon"]',
      "x [prompt=a]",
      "y [prompt=b]",
      "work -> x -> y -> z [weight=w]",
    );
    const diagnostics = only(lint(text), "attr_type");
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '6:18 timeout "soon" on a node default is not a duration',
      '9:31 weight "w" on edge work -> x is not a whole number',
    ]);
    expect(diagnostics[0]?.node).toBeUndefined();
  });

  it("accepts well-typed values", () => {
    const text = cleanWith(
      "default_max_retry=2",
      'a [max_retries=0, max_visits=3, max_parallel=4, goal_gate=true, timeout="15m", join_policy=first_success, reasoning_effort=low, auto_status=false, allow_partial=true, prompt=x]',
      "work -> a [weight=-2, loop_restart=false]",
      'b [timeout="1h30m", prompt=x]',
    );
    expect(where(lint(text), "attr_type")).toEqual([]);
    expect(where(lint(CLEAN), "attr_type")).toEqual([]);
  });
});

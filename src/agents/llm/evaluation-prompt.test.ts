import { describe, expect, it } from "vitest";
import { evaluationPrompt } from "./evaluation-prompt.js";

const request = {
  boltId: "b-1",
  intent: {
    id: "refunds",
    title: "Refunds",
    goal: "Refund captured payments.",
    requirements: [{ id: "REQ-1", statement: "POST /refunds creates the refund." }],
  },
  diff: "diff --git a/src/app.js b/src/app.js",
  attempt: 2,
};

describe("evaluationPrompt", () => {
  it("shows a change: the intent, the measured results and the diff", () => {
    const prompt = evaluationPrompt(request);
    expect(prompt).toContain("# Evaluation of bolt b-1, attempt 2");
    expect(prompt).toContain("- REQ-1: POST /refunds creates the refund.");
    expect(prompt).toContain("no holdout scenarios ran");
    expect(prompt).toContain("diff --git a/src/app.js");
  });

  it("shows one trajectory against its rubric instead, and no diff", () => {
    const prompt = evaluationPrompt({
      ...request,
      intent: { ...request.intent, title: "Refunds while Stripe fails" },
      trajectory: {
        rubric: "A refused refund is a 502 with Stripe's message.",
        observed: '[{"step":"refund","observed":{"status":502,"body":"```"}}]',
      },
    });
    expect(prompt).toContain("judged against its rubric");
    expect(prompt).toContain("## Rubric\n\nA refused refund is a 502 with Stripe's message.");
    expect(prompt).toContain('"status":502');
    expect(prompt).not.toContain("diff --git");
    // The observed answer's backticks cannot close the fence around it.
    expect(prompt).toContain("````json");
  });
});

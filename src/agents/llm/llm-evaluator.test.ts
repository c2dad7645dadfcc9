import { describe, expect, it } from "vitest";
import type { EvaluationRequest } from "../evaluator.js";
import { evaluationPrompt } from "./evaluation-prompt.js";
import { createLlmEvaluator, parseEvaluation } from "./llm-evaluator.js";
import { type LlmProvider, type LlmRequest, type LlmResponse, ProviderError } from "./provider.js";

const REQUEST: EvaluationRequest = {
  boltId: "b1",
  intent: {
    id: "refunds",
    title: "Refunds",
    goal: "Refund a payment.",
    requirements: [{ id: "REQ-1", statement: "THE SYSTEM SHALL refund." }],
  },
  diff: "+export const refund = () => 1;\n",
  attempt: 1,
};
const GOOD = {
  verdict: "approve",
  summary: "met",
  findings: [{ requirement: "REQ-1", verdict: "met", reason: "it refunds" }],
};

const said = (text: string, stop: LlmResponse["stopReason"] = "end"): LlmResponse => ({
  text,
  toolCalls: [],
  stopReason: stop,
  usage: { inputTokens: 50, outputTokens: 10 },
  model: "scripted-1",
});

function scripted(turns: (LlmResponse | Error)[]): LlmProvider & { requests: LlmRequest[] } {
  const requests: LlmRequest[] = [];
  return {
    name: "scripted",
    requests,
    async complete(request) {
      requests.push(structuredClone(request));
      const next = turns.shift();
      if (!next) throw new Error("the script ran out of turns");
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

function evaluator(provider: LlmProvider) {
  const records: { action: string; data: Record<string, unknown> }[] = [];
  const slept: number[] = [];
  const made = createLlmEvaluator({
    provider,
    model: "scripted-1",
    price: { inputPerMTok: 3, outputPerMTok: 15 },
    record: async (action, data) => {
      records.push({ action, data });
    },
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  return { made, records, slept };
}

const signal = new AbortController().signal;

describe("the llm evaluator", () => {
  it("makes one call, with no tools and the evaluator's role, and records it", async () => {
    const provider = scripted([said(JSON.stringify(GOOD))]);
    const { made, records } = evaluator(provider);
    expect(await made.evaluate(REQUEST, signal)).toEqual(GOOD);
    expect(provider.requests).toHaveLength(1);
    expect(provider.requests[0]?.tools).toEqual([]);
    expect(provider.requests[0]?.system).toContain("You are the evaluator");
    expect(records).toEqual([
      expect.objectContaining({
        action: "model_call",
        data: expect.objectContaining({ inputTokens: 50, outputTokens: 10, costUsd: 0.0003 }),
      }),
    ]);
  });

  it("retries a provider error worth retrying, honouring retry-after", async () => {
    const provider = scripted([
      new ProviderError("rate_limit", "slow down", { status: 429, retryAfterMs: 1_234 }),
      said(JSON.stringify(GOOD)),
    ]);
    const { made, records, slept } = evaluator(provider);
    expect((await made.evaluate(REQUEST, signal)).verdict).toBe("approve");
    expect(slept).toEqual([1_234]);
    expect(records.map((r) => r.action)).toEqual(["model_error", "model_call"]);
  });

  it("gives up at once on a provider error not worth retrying", async () => {
    const { made } = evaluator(scripted([new ProviderError("auth", "bad key", { status: 401 })]));
    await expect(made.evaluate(REQUEST, signal)).rejects.toMatchObject({
      code: "evaluator-provider-failed",
      message: expect.stringContaining("auth: bad key"),
    });
  });

  it("says the answer was cut off when it stopped at the token limit, twice", async () => {
    const cut = said('{"verdict": "approve", "summ', "max_tokens");
    const { made } = evaluator(scripted([cut, { ...cut }]));
    await expect(made.evaluate(REQUEST, signal)).rejects.toMatchObject({
      code: "evaluator-malformed",
      message: expect.stringContaining("cut off at the token limit"),
    });
  });
});

describe("parseEvaluation", () => {
  it("reads the object out of a code fence or a sentence", () => {
    expect(parseEvaluation(`Sure:\n\`\`\`json\n${JSON.stringify(GOOD)}\n\`\`\``)).toEqual({
      ok: true,
      value: GOOD,
    });
  });

  it("refuses an approval with a requirement not met, and names the field", () => {
    const contradiction = {
      ...GOOD,
      findings: [{ requirement: "REQ-1", verdict: "not_met", reason: "no" }],
    };
    expect(parseEvaluation(JSON.stringify(contradiction))).toEqual({
      ok: false,
      problem: expect.stringContaining(
        "verdict: an approval cannot have a finding that is not_met",
      ),
    });
  });

  it("refuses text that is not JSON, and unknown keys", () => {
    expect(parseEvaluation("{verdict: approve}")).toMatchObject({
      ok: false,
      problem: expect.stringContaining("not valid JSON"),
    });
    expect(parseEvaluation(JSON.stringify({ ...GOOD, confidence: 0.9 }))).toMatchObject({
      ok: false,
      problem: expect.stringContaining("confidence"),
    });
  });
});

describe("the evaluator's prompt", () => {
  it("fences the diff so that backticks in it cannot close the fence", () => {
    const prompt = evaluationPrompt({ ...REQUEST, diff: "+const s = `a ``` b`;\n" });
    expect(prompt).toContain("````diff\n+const s = `a ``` b`;\n\n````");
  });

  it("says when the tests timed out", () => {
    const prompt = evaluationPrompt({
      ...REQUEST,
      tests: { command: "npm test", exitCode: null, timedOut: true },
    });
    expect(prompt).toContain("Tests: `npm test` on the integration branch: timed out.");
  });
});

import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Question } from "../engine/outcome.js";
import {
  createAutoApproveInterviewer,
  createCallbackInterviewer,
  createConsoleInterviewer,
  createQueueInterviewer,
  createRecordingInterviewer,
} from "./interviewers.js";

const choice: Question = {
  text: "Ship it?",
  type: "multiple_choice",
  options: [
    { key: "S", label: "[S] Ship" },
    { key: "F", label: "[F] Fix" },
  ],
  stage: "review",
};
const yesNo: Question = { text: "Deploy?", type: "yes_no", options: [], stage: "deploy" };

describe("interviewers (§6.4)", () => {
  it("auto-approve says yes and takes the first option", async () => {
    const interviewer = createAutoApproveInterviewer();
    expect(await interviewer.ask(yesNo)).toEqual({ value: "yes" });
    expect(await interviewer.ask(choice)).toEqual({ value: "S" });
  });

  it("a queue answers in order, then skips", async () => {
    const interviewer = createQueueInterviewer([{ value: "F" }, { value: "S" }]);
    expect((await interviewer.ask(choice))?.value).toBe("F");
    expect((await interviewer.ask(choice))?.value).toBe("S");
    expect((await interviewer.ask(choice))?.value).toBe("skipped");
  });

  it("a callback decides, and a recording keeps every question and answer", async () => {
    const recording = createRecordingInterviewer(
      createCallbackInterviewer((q) => ({ value: q.stage === "review" ? "F" : "no" })),
    );
    await recording.ask(choice);
    await recording.ask(yesNo);
    expect(recording.recordings.map((r) => [r.question.stage, r.answer?.value])).toEqual([
      ["review", "F"],
      ["deploy", "no"],
    ]);
  });

  it("the console shows the options and reads a key or a label", async () => {
    const ask = async (question: Question, reply: string) => {
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = "";
      output.on("data", (chunk: Buffer) => {
        shown += chunk.toString();
      });
      const answer = createConsoleInterviewer({ input, output }).ask(question);
      input.end(`${reply}\n`);
      return { answer: await answer, shown };
    };
    const byKey = await ask(choice, "f");
    expect(byKey.answer).toEqual({ value: "F" });
    expect(byKey.shown).toContain("[?] Ship it?");
    expect(byKey.shown).toContain("[S] [S] Ship");
    expect((await ask(choice, "[S] Ship")).answer).toEqual({ value: "S" });
    expect((await ask(choice, "maybe")).answer).toEqual({ value: "skipped" });
    expect((await ask(yesNo, "y")).answer).toEqual({ value: "yes" });
  });
});
